//! Closed word classes the wording rules look at around a match: modal verbs, determiners, units, the
//! participles of passive voice, and the like. The lists users extend are in `assets/lint/`.

#[rustfmt::skip]
pub(super) const BINDING: &[&str] = &[
    "shall", "must", "will",
];
#[rustfmt::skip]
pub(super) const MODALS: &[&str] = &[
    "shall", "must", "will", "should", "may", "might", "can", "could", "would",
];
#[rustfmt::skip]
pub(super) const SUBORDINATORS: &[&str] = &[
    "that", "which", "who", "whom", "whose", "so", "if", "when", "whenever", "where", "wherever", "unless",
    "whether", "until", "while", "because", "as", "once", "before", "after", "than", "since", "though", "although",
    "how", "what", "why",
];
#[rustfmt::skip]
pub(super) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "each", "every", "any", "all", "its", "their", "his", "her", "this", "these", "those", "our",
    "your", "my", "no", "some", "both", "either", "neither", "another",
];
#[rustfmt::skip]
pub(super) const PRONOUN_OBJECTS: &[&str] = &[
    "it", "them", "him", "her", "they", "one", "up", "out",
];
#[rustfmt::skip]
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for", "by", "with", "from", "after",
    "before", "within", "than", "when", "if", "while", "where", "that", "which", "who", "shall", "must", "will",
    "should", "may", "can", "could", "is", "are", "be", "was", "were", "has", "have", "then", "so", "as", "into",
    "unless", "until", "during", "under", "over", "between", "without", "each", "every", "per", "its", "their",
];
#[rustfmt::skip]
pub(super) const TIME_UNITS: &[&str] = &[
    "ms", "millisecond", "milliseconds", "s", "sec", "secs", "second", "seconds", "minute", "minutes", "min",
    "mins", "hour", "hours", "h", "hrs", "day", "days", "week", "weeks", "month", "months", "year", "years",
];
/// Nouns a number names an item of ("level 2", "step 3"), not a quantity of.
#[rustfmt::skip]
pub(super) const NUMBERED_NOUNS: &[&str] = &[
    "level", "step", "stage", "version", "release", "phase", "tier", "page", "section", "chapter", "option", "item",
    "line", "row", "column", "grade", "class", "type", "category", "priority", "band", "zone", "room", "floor",
    "gate", "platform", "terminal", "desk", "window", "article", "clause", "annex", "appendix", "rule", "figure",
    "table", "number", "no", "id", "code", "channel", "port", "v", "ward", "bed", "box", "form", "schedule",
    "requirement", "req", "part", "paragraph", "regulation", "standard", "iso", "wcag", "tls", "pci", "sla", "p",
];
/// Quantities that have no unit: "a score of 7 or more".
#[rustfmt::skip]
pub(super) const DIMENSIONLESS: &[&str] = &[
    "score", "scores", "rating", "ratings", "grade", "index", "ratio", "scale", "rank", "ranking",
];
/// Action verbs: "and" followed by one of these and its object starts a second need.
#[rustfmt::skip]
pub(super) const ACTION_VERBS: &[&str] = &[
    "send", "email", "notify", "display", "show", "store", "save", "record", "log", "print", "generate", "create",
    "calculate", "validate", "check", "verify", "update", "delete", "remove", "archive", "export", "import",
    "issue", "offer", "refund", "charge", "block", "lock", "unlock", "reject", "accept", "allow", "let", "enable",
    "disable", "prevent", "provide", "give", "apply", "assign", "route", "transfer", "forward", "escalate", "alert",
    "warn", "remind", "schedule", "book", "cancel", "confirm", "approve", "request", "retrieve", "restore",
    "encrypt", "mask", "hide", "publish", "share", "upload", "download", "sync", "synchronise", "synchronize",
    "submit", "capture", "scan", "track", "monitor", "attach", "link", "open", "close", "add", "mark", "flag",
    "sort", "filter", "search", "reset", "release", "pay", "collect", "deliver", "dispatch", "keep", "retain",
    "sign", "authenticate", "register", "identify", "compare", "convert", "deduct", "credit", "debit", "post",
    "transmit", "receive", "redirect", "suggest", "recommend", "highlight", "present", "inform", "prompt", "ask",
    "require", "raise", "invite", "contact", "call", "text", "queue", "hold", "refresh", "recalculate", "award",
    "redeem", "waive", "refer", "prescribe", "dispense", "admit", "discharge", "then", "also", "produce",
    "calculates", "sends", "shows", "displays", "stores", "records", "notifies", "emails", "creates", "updates",
    "deletes", "offers", "issues", "allows", "lets", "provides", "gives", "logs", "prints", "generates", "checks",
    "verifies", "blocks", "locks",
];
#[rustfmt::skip]
pub(super) const IRREGULAR_PARTICIPLES: &[&str] = &[
    "sent", "shown", "given", "kept", "held", "made", "paid", "sold", "taken", "written", "read", "built", "bought",
    "chosen", "done", "found", "known", "left", "lost", "met", "put", "run", "set", "told", "understood", "hidden",
    "frozen", "withdrawn", "drawn", "broken", "spoken", "driven", "shut", "cut", "split", "bound", "fed", "led",
    "spent", "overridden", "forgotten", "seen", "sought", "brought", "taught", "thrown", "grown", "proven", "shown",
    "sworn", "torn", "worn", "upheld", "withheld", "rebuilt", "rewritten", "reset", "resent", "undone",
];
/// Participles that read as states or that hand the action to the subject ("shall be required to enter").
#[rustfmt::skip]
pub(super) const NOT_PASSIVE: &[&str] = &[
    "based", "located", "concerned", "interested", "supposed", "called", "named", "known", "expected", "allowed",
    "permitted", "required", "entitled", "obliged", "authorised", "authorized", "logged", "signed", "dedicated",
    "limited", "designed", "used", "need", "needed", "tired", "pleased", "satisfied", "red", "bed", "led",
];
#[rustfmt::skip]
pub(super) const EXPLETIVE_IT: &[&str] = &[
    "possible", "necessary", "required", "important", "mandatory", "desirable", "recommended", "likely",
    "impossible", "permitted", "allowed", "forbidden", "prohibited", "essential", "acceptable",
];
/// Sets with no edge a tester could reach: "every device", "any question", "all users".
#[rustfmt::skip]
pub(super) const OPEN_SETS: &[&str] = &[
    "device", "devices", "browser", "browsers", "platform", "platforms", "user", "users", "situation", "situations",
    "circumstance", "circumstances", "case", "cases", "time", "times", "condition", "conditions", "question",
    "questions", "request", "requests", "language", "languages", "scenario", "scenarios", "environment",
    "environments", "load", "loads", "input", "inputs", "error", "errors", "format", "formats", "people", "field",
    "fields", "data", "information", "type", "types", "kind", "kinds", "problem", "problems", "issue", "issues",
    "query", "queries", "system", "systems", "network", "networks", "channel", "channels", "size", "sizes",
    "operating", "need", "needs", "feature", "features", "things", "everything", "purpose", "purposes",
];
/// What follows "by" when it names a means rather than an actor.
#[rustfmt::skip]
pub(super) const BY_MEANS: &[&str] = &[
    "email", "emails", "sms", "post", "phone", "text", "texts", "letter", "card", "cards", "cash", "cheque",
    "default", "hand", "means", "courier", "mail", "telephone", "fax", "name", "date", "law", "rules", "standards",
    "type",
];
#[rustfmt::skip]
pub(super) const PAIR_TERMS: &[&str] = &[
    "input/output", "read/write", "client/server", "on/off", "yes/no", "true/false", "pass/fail", "open/close",
    "login/logout", "either/or", "he/she", "his/her", "him/her", "s/he", "and/or", "peer/peer", "drag/drop",
    "check-in/check-out", "w/o",
];
