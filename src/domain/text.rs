//! Text cut to fit a column: by display width (a CJK character or an emoji takes two columns), and
//! always marked with "…" when cut, so a cut is never mistaken for the whole value.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` if it fits in `columns`, else as much of it as fits followed by "…".
pub fn fit(text: &str, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_owned();
    }
    if columns == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > columns - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    // Cut after a space, the ellipsis would look like a separate word.
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push('…');
    out
}

/// `text` fitted to `columns` and padded with spaces to exactly that width (for aligned columns).
pub fn pad(text: &str, columns: usize) -> String {
    let fitted = fit(text, columns);
    let room = columns.saturating_sub(width(&fitted));
    format!("{fitted}{}", " ".repeat(room))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_is_marked_and_never_wider_than_the_column() {
        assert_eq!(fit("Get support", 11), "Get support");
        assert_eq!(fit("Get support", 10), "Get suppo…");
        assert_eq!(fit("per 1000 bills", 7), "per 10…");
        assert_eq!(fit("per 1000 bills", 5), "per…", "no ellipsis after a space");
        assert_eq!(fit("SHOP-2001", 8), "SHOP-20…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "…");
        for (text, columns) in [("注文を確認する", 5), ("🙂🙂🙂", 4), ("naïve café", 6)] {
            let cut = fit(text, columns);
            assert!(width(&cut) <= columns, "{cut:?} is wider than {columns}");
            assert!(cut.ends_with('…'), "{cut:?}");
        }
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(width(&pad("注文を確認する", 6)), 6);
    }
}
