//! Writing many records in order while formatting them on every core.
//!
//! Formatting 100,000 requirements as HTML, Markdown, CSV or ReqIF is most of an export's time, and each
//! record formats on its own; only the writing has to stay in order. So records are formatted in chunks,
//! chunk `k` on lane `k % lanes` (lane 0 is the calling thread), and the calling thread writes the chunks
//! in order. At most two chunks per lane are held at once, so memory stays flat however long the export.

use std::io::Write;
use std::sync::mpsc::sync_channel;

use super::ReportError;

/// Records per chunk: large enough that a chunk's hand-over costs nothing next to its formatting.
const CHUNK: usize = 1024;

/// The most threads one export uses.
const MAX_LANES: usize = 4;

/// Formats one chunk of records into a byte buffer, appending.
pub(super) type FormatChunk<'a, T> = dyn Fn(&[T], &mut Vec<u8>) -> Result<(), ReportError> + Sync + 'a;

/// Formats `items` with `format` (one chunk of records into a byte buffer, appending) and writes the chunks
/// to `out` in order. `written(n)` is called on the calling thread after each chunk with the number of
/// records written so far, for progress. The first error stops the export.
pub(super) fn write_ordered<T: Sync>(
    items: &[T],
    out: &mut dyn Write,
    format: &FormatChunk<'_, T>,
    written: &mut dyn FnMut(usize),
) -> Result<(), ReportError> {
    let lanes = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_LANES);
    write_on_lanes(lanes, items, out, format, written)
}

fn write_on_lanes<T: Sync>(
    lanes: usize,
    items: &[T],
    out: &mut dyn Write,
    format: &FormatChunk<'_, T>,
    written: &mut dyn FnMut(usize),
) -> Result<(), ReportError> {
    let chunks: Vec<&[T]> = items.chunks(CHUNK).collect();
    let lanes = lanes.min(chunks.len());
    let mut buf = Vec::new();
    let mut done = 0;
    if lanes <= 1 {
        for chunk in chunks {
            buf.clear();
            format(chunk, &mut buf)?;
            out.write_all(&buf)?;
            done += chunk.len();
            written(done);
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let chunks = &chunks;
        let lanes_out: Vec<_> = (1..lanes)
            .map(|lane| {
                let (send, receive) = sync_channel::<Result<Vec<u8>, ReportError>>(1);
                scope.spawn(move || {
                    for chunk in chunks.iter().skip(lane).step_by(lanes) {
                        let mut buf = Vec::new();
                        let result = format(chunk, &mut buf).map(|()| buf);
                        let failed = result.is_err();
                        // A closed channel means the writer stopped on an error of its own.
                        if send.send(result).is_err() || failed {
                            break;
                        }
                    }
                });
                receive
            })
            .collect();
        for (k, chunk) in chunks.iter().enumerate() {
            let lane = k % lanes;
            if lane == 0 {
                buf.clear();
                format(chunk, &mut buf)?;
                out.write_all(&buf)?;
            } else {
                let formatted = lanes_out[lane - 1]
                    .recv()
                    .map_err(|_| ReportError::Invalid("an export thread stopped unexpectedly".into()))??;
                out.write_all(&formatted)?;
            }
            done += chunk.len();
            written(done);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_come_out_in_order_and_errors_stop_the_export() {
        let items: Vec<usize> = (0..10 * CHUNK + 7).collect();
        let format = |chunk: &[usize], buf: &mut Vec<u8>| -> Result<(), ReportError> {
            for i in chunk {
                writeln!(buf, "{i}")?;
            }
            Ok(())
        };
        let expected: String = items.iter().map(|i| format!("{i}\n")).collect();
        for lanes in [1, 2, 3] {
            let mut out = Vec::new();
            let mut progress = Vec::new();
            write_on_lanes(lanes, &items, &mut out, &format, &mut |n| progress.push(n)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{lanes} lanes");
            assert_eq!(progress.last(), Some(&items.len()));
            assert!(progress.windows(2).all(|w| w[0] < w[1]));
        }

        let failing = |chunk: &[usize], buf: &mut Vec<u8>| -> Result<(), ReportError> {
            if chunk.contains(&(5 * CHUNK)) {
                return Err(ReportError::Invalid("broken record".into()));
            }
            format(chunk, buf)
        };
        for lanes in [1, 2, 3] {
            let mut out = Vec::new();
            let err = write_on_lanes(lanes, &items, &mut out, &failing, &mut |_| {}).unwrap_err();
            assert_eq!(err.to_string(), "broken record");
            let before_bad = expected.find(&format!("\n{}\n", 5 * CHUNK)).unwrap() + 1;
            assert_eq!(out.len(), before_bad, "{lanes} lanes: stops before the bad chunk");
        }
    }
}
