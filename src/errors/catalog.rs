//! The error catalog: every coded error this library (or an app using it) can
//! show, in one table. Docs and the JSON dictionary are generated from it.
//! Codes never change meaning once published; each range leaves room to grow.
//! Pure data: no browser types here.

/// Which range a code belongs to; the first digit of the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Auth,
    Validation,
    Storage,
    Network,
    Business,
}

impl Category {
    /// The name used in JavaScript objects and the JSON dictionary.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Auth => "auth",
            Category::Validation => "validation",
            Category::Storage => "storage",
            Category::Network => "network",
            Category::Business => "business",
        }
    }

    /// Derives the category from a code's range ("E1xxx" is auth, and so on).
    pub fn of_code(code: &str) -> Option<Category> {
        match code.as_bytes().get(1)? {
            b'1' => Some(Category::Auth),
            b'2' => Some(Category::Validation),
            b'3' => Some(Category::Storage),
            b'4' => Some(Category::Network),
            b'5' => Some(Category::Business),
            _ => None,
        }
    }
}

/// One catalog entry.
#[derive(Debug, PartialEq, Eq)]
pub struct ErrorEntry {
    pub code: &'static str,
    pub title: &'static str,
    /// Plain English for the person using the app: what happened, what to do.
    pub user_message: &'static str,
    /// For developers and logs.
    pub technical_detail: &'static str,
    /// For the support desk: what to check or tell the user. Only the
    /// generated dictionary needs it, so it stays out of the shipped `.wasm`.
    #[cfg(not(target_arch = "wasm32"))]
    pub support_action: &'static str,
    /// The HTTP status that best matches; 0 where none applies (client-side only).
    pub http_status: u16,
    /// Whether trying the same thing again later can succeed.
    pub retryable: bool,
}

impl ErrorEntry {
    pub fn category(&self) -> Category {
        // Every code in CATALOG has a valid range; `catalog_codes_are_well_formed` checks it.
        Category::of_code(self.code).unwrap_or(Category::Business)
    }
}

/// Catch-all for input nothing else matches (documented in docs/errors.md).
pub const GENERIC: &str = "E5000";

// Codes the library itself raises; named so call sites read as prose.
pub const AUTH_REQUIRED: &str = "E1001";
pub const SESSION_EXPIRED: &str = "E1002";
pub const PERMISSION_DENIED: &str = "E1003";
pub const INVALID_CREDENTIALS: &str = "E1004";
pub const INVALID_TOKEN: &str = "E1005";
pub const AUTH_GENERIC: &str = "E1000";
pub const VALIDATION_GENERIC: &str = "E2000";
pub const REQUIRED_MISSING: &str = "E2001";
pub const INVALID_VALUE: &str = "E2002";
pub const VALUE_TOO_LONG: &str = "E2003";
pub const VALUE_OUT_OF_RANGE: &str = "E2004";
pub const DUPLICATE_VALUE: &str = "E2005";
pub const PAYLOAD_TOO_LARGE: &str = "E2008";
pub const UNSUPPORTED_MEDIA_TYPE: &str = "E2009";
pub const INVALID_ARGUMENT: &str = "E2100";
pub const INVALID_OPTION: &str = "E2101";
pub const UNKNOWN_ERROR_CODE: &str = "E2102";
pub const INVALID_SW_CONFIG: &str = "E2103";
pub const INVALID_RECORD: &str = "E2104";
pub const INVALID_RECORD_ID: &str = "E2105";
pub const INVALID_RESOURCE: &str = "E2106";
pub const INVALID_CALLBACK: &str = "E2107";
pub const INVALID_URL: &str = "E2108";
pub const INVALID_NUMBER: &str = "E2109";
pub const NO_DOCUMENT: &str = "E2110";
pub const STORAGE_UNAVAILABLE: &str = "E3001";
pub const QUOTA_EXCEEDED: &str = "E3002";
pub const SCHEMA_VERSION_CONFLICT: &str = "E3003";
pub const STORAGE_BLOCKED: &str = "E3004";
pub const STORAGE_NOT_FOUND: &str = "E3005";
pub const STORAGE_FAILED: &str = "E3006";
pub const STORAGE_CLOSED: &str = "E3007";
pub const DATABASE_CONNECTION: &str = "E3008";
pub const DATA_UNREADABLE: &str = "E3009";
pub const SERVICE_WORKER_UNAVAILABLE: &str = "E3010";
pub const OFFLINE: &str = "E4001";
pub const TIMEOUT: &str = "E4002";
pub const UNREACHABLE: &str = "E4003";
pub const SERVER_ERROR: &str = "E4004";
pub const SERVICE_UNAVAILABLE: &str = "E4005";
pub const RATE_LIMITED: &str = "E4006";
pub const WRITE_BLOCKED_OFFLINE: &str = "E4007";
pub const CANCELLED: &str = "E4008";
pub const BAD_GATEWAY: &str = "E4009";
pub const NOT_AVAILABLE_OFFLINE: &str = "E4010";
pub const CONFLICT: &str = "E5003";
pub const NOT_FOUND: &str = "E5002";
pub const REFERENCE_VIOLATION: &str = "E5004";
pub const INVALID_STATE_FOR_ACTION: &str = "E5006";
pub const GONE: &str = "E5008";

macro_rules! entry {
    ($code:expr, $status:expr, $retry:expr, $title:expr, $user:expr, $tech:expr, $support:expr) => {
        ErrorEntry {
            code: $code,
            http_status: $status,
            retryable: $retry,
            title: $title,
            user_message: $user,
            technical_detail: $tech,
            #[cfg(not(target_arch = "wasm32"))]
            support_action: $support,
        }
    };
}

// The service worker's own answers, as constants: its .wasm references
// them directly and so carries these two entries, not the whole table.
pub const WRITE_BLOCKED_OFFLINE_ENTRY: ErrorEntry = entry!(
    "E4007",
    503,
    true,
    "Changes can't be saved offline",
    "You're offline; changes can't be saved until you reconnect.",
    "A write (non-GET request) was attempted while offline; the service worker answered 503.",
    "Ask the user to reconnect and try again; nothing was sent to the server."
);
pub const NOT_AVAILABLE_OFFLINE_ENTRY: ErrorEntry = entry!(
    "E4010",
    504,
    true,
    "Not available offline",
    "This page isn't available offline. Reconnect to view it.",
    "The request missed the cache while the network was unavailable.",
    "The page was never visited online on this device; visit it online first."
);

/// The catalog, sorted by code (a test keeps it sorted, so lookups can bisect).
pub static CATALOG: &[ErrorEntry] = &[
    // E1xxx: authentication and authorisation
    entry!("E1000", 401, false, "Authentication problem",
        "We couldn't confirm who you are. Please sign in again.",
        "An authentication failure that matched no more specific code.",
        "Ask the user to sign out and sign in again; check the auth provider's status."),
    entry!("E1001", 401, false, "Sign-in required",
        "Please sign in to continue.",
        "The request had no credentials (HTTP 401, or PostgREST PGRST302).",
        "Confirm the user is signed in; check that the app sends its token."),
    entry!("E1002", 401, false, "Session expired",
        "Your session has expired. Please sign in again.",
        "The access token expired (JWT exp in the past, PostgREST PGRST303).",
        "Ask the user to sign in again; if it recurs quickly, check token lifetime and clock skew."),
    entry!("E1003", 403, false, "Permission denied",
        "You don't have permission to do this. Ask your administrator for access.",
        "HTTP 403, or SQLSTATE 42501 insufficient_privilege.",
        "Check the user's role and the row-level security policy for this resource."),
    entry!("E1004", 401, false, "Incorrect sign-in details",
        "The email or password is incorrect. Please try again.",
        "Credentials were rejected (SQLSTATE class 28, invalid authorization).",
        "Offer a password reset; check for a locked or disabled account."),
    entry!("E1005", 401, false, "Invalid session token",
        "Your session is no longer valid. Please sign in again.",
        "The token could not be decoded or verified (PostgREST PGRST300/PGRST301).",
        "Check the JWT secret or key configuration; ask the user to sign in again."),
    entry!("E1006", 403, false, "Account locked",
        "Your account is locked. Contact your administrator to unlock it.",
        "The identity provider reports the account as locked or disabled.",
        "Unlock the account in the admin console after verifying the user."),
    entry!("E1007", 403, true, "Security check failed",
        "A security check failed. Reload the page and try again.",
        "A CSRF or origin check rejected the request.",
        "Ask the user to reload; check the CSRF token and allowed origins."),
    // E2xxx: validation (the user's input) and E21xx: caller errors (the app's code)
    entry!("E2000", 400, false, "Invalid information",
        "Some of the information entered isn't valid. Check the form and try again.",
        "HTTP 400/422, or a validation failure that matched no more specific code.",
        "Ask which field was highlighted; check the server's validation log for the detail."),
    entry!("E2001", 422, false, "Required information missing",
        "Some required information is missing. Fill in the highlighted fields and try again.",
        "A required field was empty (SQLSTATE 23502 not_null_violation).",
        "Check which required field the form left empty."),
    entry!("E2002", 422, false, "Invalid value",
        "One of the values isn't in the right format. Check it and try again.",
        "A value failed a format or check constraint (SQLSTATE 22xxx, 23514).",
        "Check the field's expected format (dates, numbers, email addresses)."),
    entry!("E2003", 422, false, "Value too long",
        "One of the values is too long. Shorten it and try again.",
        "A string exceeded its column length (SQLSTATE 22001).",
        "Check the field's maximum length."),
    entry!("E2004", 422, false, "Value out of range",
        "One of the numbers or dates is outside the allowed range.",
        "A numeric or date value was out of range (SQLSTATE 22003, 22008).",
        "Check the field's allowed range."),
    entry!("E2005", 409, false, "Duplicate entry",
        "A record with this value already exists. Use a different value or open the existing record.",
        "A unique constraint was violated (SQLSTATE 23505 unique_violation).",
        "Find the existing record with the same value; merge if it is a real duplicate."),
    entry!("E2006", 422, false, "Invalid email address",
        "That email address doesn't look right. Check it and try again.",
        "An email field failed validation.",
        "Check the address for typos."),
    entry!("E2007", 422, false, "Invalid date",
        "That date isn't valid. Check it and try again.",
        "A date field failed to parse or was impossible (e.g. 31 February).",
        "Check the date format the user's locale produces."),
    entry!("E2008", 413, false, "Too much data",
        "What you're trying to save is too large. Remove some content and try again.",
        "The request body exceeded the server's limit (HTTP 413).",
        "Check the upload size limit; ask the user to split or shrink the content."),
    entry!("E2009", 415, false, "Unsupported file type",
        "This file type isn't supported.",
        "The server rejected the content type (HTTP 415).",
        "Check which file types are allowed for this field."),
    entry!("E2100", 0, false, "Invalid argument",
        "Something went wrong in the app. Please reload the page.",
        "A library function was called with an argument of the wrong type or shape.",
        "A bug in the app's code: the console names the function and the argument."),
    entry!("E2101", 0, false, "Invalid option",
        "Something went wrong in the app. Please reload the page.",
        "An options object had a value of the wrong type or outside its allowed range.",
        "A bug in the app's code: the console names the option and the value it got."),
    entry!("E2102", 0, false, "Unknown error code",
        "Something went wrong in the app. Please reload the page.",
        "A code that is not in the catalog was passed where a catalog code is required.",
        "A bug in the app's code: check the code against docs/errors/error-codes.md."),
    entry!("E2103", 0, false, "Invalid service worker configuration",
        "Offline mode is turned off because of a setup problem. The app still works online.",
        "offlineRuntime.start() got an invalid config; the worker runs as pass-through.",
        "A deployment bug: the worker's console names the field; fix the config and redeploy."),
    entry!("E2104", 0, false, "Invalid record",
        "This item couldn't be saved for offline use.",
        "A record given to the record store was not an object or lacked its id field.",
        "A bug in the app's code: the console names the resource and the problem."),
    entry!("E2105", 0, false, "Invalid record id",
        "This item couldn't be saved for offline use.",
        "A record id was not a string or a finite number.",
        "A bug in the app's code: the console shows the id it got."),
    entry!("E2106", 0, false, "Invalid resource name",
        "This item couldn't be saved for offline use.",
        "A resource name was empty or not a string.",
        "A bug in the app's code: the console shows the name it got."),
    entry!("E2107", 0, false, "Invalid callback",
        "Something went wrong in the app. Please reload the page.",
        "A function was expected (for example the debounced callback or a subscriber).",
        "A bug in the app's code: the console names the function that needed a callback."),
    entry!("E2108", 0, false, "Invalid URL",
        "Something went wrong in the app. Please reload the page.",
        "A string that should be a URL could not be parsed as one.",
        "A bug in the app's code or config: the console shows the URL it got."),
    entry!("E2109", 0, false, "Invalid number",
        "Something went wrong in the app. Please reload the page.",
        "A limit, wait or duration was negative, not finite, or not an integer where one is required.",
        "A bug in the app's code: the console names the parameter and the value it got."),
    entry!("E2110", 0, false, "No document available",
        "Something went wrong in the app. Please reload the page.",
        "A DOM helper was called where there is no document (for example in a worker).",
        "A bug in the app's code: call display helpers from a page, not from a worker."),
    entry!("E2111", 0, false, "Called before initialisation",
        "Something went wrong in the app. Please reload the page.",
        "An offline-runtime function was called before `await init()` finished loading the .wasm.",
        "A bug in the app's code: await init() (or its promise) once before any other call."),
    // E3xxx: storage (IndexedDB, Cache Storage, the server's database)
    entry!("E3000", 500, true, "Storage problem",
        "Something went wrong while saving data. Please try again.",
        "A storage failure that matched no more specific code.",
        "Ask for the browser and version; check the console for the underlying error."),
    entry!("E3001", 0, false, "Offline storage unavailable",
        "Offline storage isn't available in this browser, so recently viewed items won't be kept offline. Everything works while you're online.",
        "IndexedDB could not be opened (disabled, blocked by privacy settings, or a private mode).",
        "Ask whether the user is in a private window or blocks site data; the app still works online."),
    entry!("E3002", 0, true, "Storage full",
        "Your device's storage for this app is full. Free up space, then try again.",
        "QuotaExceededError: the origin's storage quota was exceeded, even after evicting old entries.",
        "Ask the user to free disk space or clear this site's data; check how much the app stores."),
    entry!("E3003", 0, false, "App update needed",
        "Offline data was saved by a newer version of this app. Reload the page to update.",
        "VersionError: the database schema version on disk is newer than this code's.",
        "Ask the user to close other tabs and reload; a rolled-back deployment can cause this."),
    entry!("E3004", 0, true, "Offline storage busy",
        "Another tab is updating offline data. Close other tabs of this app and try again.",
        "The IndexedDB open was blocked by another connection that did not close in time.",
        "Ask the user to close other tabs of the app, then reload."),
    entry!("E3005", 404, false, "Not stored offline",
        "This item isn't saved on this device.",
        "NotFoundError: the record or object store does not exist locally.",
        "The item was never viewed on this device or was evicted; view it online first."),
    entry!("E3006", 0, true, "Storage operation failed",
        "Something went wrong while saving data on this device. Please try again.",
        "An IndexedDB or Cache Storage operation failed (UnknownError or aborted transaction).",
        "Ask the user to retry; if it persists, clearing this site's data usually fixes it."),
    entry!("E3007", 0, true, "Storage connection closed",
        "Offline data was being updated. Please try again.",
        "InvalidStateError: the database connection was closed (often by an upgrade in another tab).",
        "Ask the user to retry; the next call reopens the connection."),
    entry!("E3008", 503, true, "Database unavailable",
        "We can't reach our database right now. Please try again in a few minutes.",
        "The server could not connect to its database (SQLSTATE class 08).",
        "Check the database server's health and connection limits."),
    entry!("E3009", 0, false, "Data can't be stored",
        "This item couldn't be saved on this device.",
        "DataCloneError or DataError: the value cannot be stored or used as a key.",
        "A bug in the app's code: the record holds something that is not structured-cloneable."),
    entry!("E3010", 0, false, "Cache unavailable",
        "Offline pages aren't available in this browser. Everything works while you're online.",
        "Cache Storage is unavailable (insecure context or disabled by the browser).",
        "Check the app is served over HTTPS (or localhost)."),
    // E4xxx: network
    entry!("E4000", 0, true, "Network problem",
        "We couldn't complete the request. Check your connection and try again.",
        "A network failure that matched no more specific code.",
        "Ask about the user's connection; check the console for the underlying error."),
    entry!("E4001", 0, true, "You're offline",
        "You're offline. Check your connection; we'll reconnect automatically.",
        "The browser reports no network (navigator.onLine is false) and the request failed.",
        "Ask the user to check Wi-Fi or mobile data."),
    entry!("E4002", 504, true, "Request timed out",
        "The server took too long to respond. Please try again.",
        "The request timed out (TimeoutError, HTTP 408/504, or SQLSTATE 57014).",
        "Check server latency for this endpoint; slow networks can cause it."),
    entry!("E4003", 0, true, "Server unreachable",
        "We can't reach the server. Check your connection and try again.",
        "fetch() failed while the browser reports being online (DNS, TLS, refused connection, CORS).",
        "Check the server is up and reachable from the user's network; check CORS headers."),
    entry!("E4004", 500, true, "Server error",
        "Something went wrong on our side. Please try again in a moment.",
        "The server answered with a 5xx status.",
        "Check the server logs at the time of the error."),
    entry!("E4005", 503, true, "Service unavailable",
        "The service is temporarily unavailable. Please try again in a few minutes.",
        "The server answered 503 (maintenance or overload).",
        "Check for maintenance or an outage."),
    entry!("E4006", 429, true, "Too many requests",
        "You're doing that too often. Please wait a moment and try again.",
        "The server answered 429; retry after the Retry-After header's delay.",
        "Check the rate limits for this user or endpoint."),
    WRITE_BLOCKED_OFFLINE_ENTRY,
    entry!("E4008", 0, true, "Request cancelled",
        "The request was cancelled. Please try again.",
        "AbortError: the request was aborted before it finished.",
        "Usually harmless (the user navigated away); retry if the data is missing."),
    entry!("E4009", 502, true, "Bad gateway",
        "We can't reach the server right now. Please try again in a moment.",
        "A proxy or gateway answered 502.",
        "Check the proxy, load balancer and upstream server health."),
    NOT_AVAILABLE_OFFLINE_ENTRY,
    entry!("E4011", 502, true, "Unexpected response",
        "The server sent a response we couldn't read. Please try again.",
        "The response body was malformed (for example invalid JSON).",
        "Check the endpoint's response body and Content-Type."),
    // E5xxx: business rules
    entry!("E5000", 500, true, "Something went wrong",
        "Something went wrong. Please try again.",
        "The generic code for any failure that could not be classified.",
        "Ask for the console output; the technical detail holds the original error."),
    entry!("E5001", 409, false, "Organization has active opportunities",
        "Cannot delete organization with active opportunities. Close or move its opportunities first.",
        "The delete was refused because the organization still owns open opportunities.",
        "Help the user close or reassign the organization's open opportunities."),
    entry!("E5002", 404, false, "Not found",
        "This item doesn't exist or was removed.",
        "HTTP 404, or PostgREST PGRST116 (no row matched).",
        "Check whether the record was deleted or the link is wrong."),
    entry!("E5003", 409, true, "Changed by someone else",
        "Someone else changed this item while you were editing. Reload it and try again.",
        "HTTP 409/412, or a serialization failure (SQLSTATE 40001, 40P01).",
        "Ask the user to reload and reapply their change."),
    entry!("E5004", 409, false, "Linked record problem",
        "This item is linked to another item that doesn't exist or is still in use.",
        "A foreign key constraint was violated (SQLSTATE 23503 foreign_key_violation).",
        "Check the related record exists, or remove the links before deleting."),
    entry!("E5005", 409, false, "Contact belongs to an organization",
        "This contact is the primary contact of an organization. Choose another primary contact first.",
        "The delete was refused because an organization names this contact as primary.",
        "Help the user pick another primary contact for the organization."),
    entry!("E5006", 409, false, "Not allowed right now",
        "This action isn't allowed for this item in its current state.",
        "A business rule refused the action for the record's current state (HTTP 423 or a rule check).",
        "Check the record's status; the action may need a different status first."),
    entry!("E5007", 403, false, "Limit reached",
        "You've reached the limit for your plan. Remove items or upgrade to add more.",
        "A plan or quota limit refused the action.",
        "Check the account's plan limits."),
    entry!("E5008", 410, false, "No longer available",
        "This item is no longer available.",
        "HTTP 410: the resource was permanently removed.",
        "The record was deleted for good; nothing to restore."),
];

/// Looks a code up; `None` for anything not in the catalog.
pub fn lookup(code: &str) -> Option<&'static ErrorEntry> {
    CATALOG
        .binary_search_by(|entry| entry.code.cmp(code))
        .ok()
        .map(|index| &CATALOG[index])
}

/// Looks up a code the library itself uses; falls back to the generic entry
/// rather than panicking (a test checks every named constant is present).
pub fn entry(code: &str) -> &'static ErrorEntry {
    lookup(code)
        .or_else(|| lookup(GENERIC))
        .unwrap_or(&CATALOG[0])
}
