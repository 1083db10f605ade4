//! Routing: which route (if any) handles a request. Matchers test the path
//! (prefix, exact, glob), the request's destination, method and mode, and the
//! origin (same-origin unless the route lists others). First match wins. Pure.

use super::config::{Config, Route};

/// What routing needs to know about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestFacts<'a> {
    pub method: &'a str,
    /// `scheme://host[:port]`, no trailing slash.
    pub origin: &'a str,
    pub path: &'a str,
    /// `Request.destination`: "script", "style", "image", "font", "document", "" ...
    pub destination: &'a str,
    /// `Request.mode == "navigate"`.
    pub navigate: bool,
}

/// A glob over paths: `*` matches within one segment, `**` across segments
/// (`**/` also matches no directory at all). Matching simulates every
/// position of the pattern at once, so it takes time proportional to
/// pattern length x path length, never backtracking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    tokens: Vec<Token>,
}

impl Glob {
    pub fn new(pattern: &str) -> Self {
        Glob {
            tokens: tokens(pattern.as_bytes()),
        }
    }

    pub fn matches(&self, path: &str) -> bool {
        glob_match(&self.tokens, path.as_bytes())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Byte(u8),
    /// `*`: any bytes but `/`.
    Star,
    /// `**`: any bytes.
    Globstar,
    /// Before a `**/`: also allows skipping the whole `**/` (no directory).
    SkipDirectories,
}

fn tokens(pattern: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(pattern.len() + 1);
    let mut i = 0;
    while i < pattern.len() {
        if pattern[i..].starts_with(b"**") {
            if pattern[i + 2..].starts_with(b"/") {
                tokens.push(Token::SkipDirectories);
            }
            tokens.push(Token::Globstar);
            i += 2;
            continue;
        }
        tokens.push(match pattern[i] {
            b'*' => Token::Star,
            byte => Token::Byte(byte),
        });
        i += 1;
    }
    tokens
}

fn glob_match(tokens: &[Token], text: &[u8]) -> bool {
    // active[i]: the text read so far can stand before token i.
    let mut active = vec![false; tokens.len() + 1];
    let close = |active: &mut [bool]| {
        // Stars may match nothing, and a whole `**/` may match nothing.
        for i in 0..tokens.len() {
            if !active[i] {
                continue;
            }
            match tokens[i] {
                Token::Star | Token::Globstar => active[i + 1] = true,
                Token::SkipDirectories => {
                    active[i + 1] = true;
                    active[i + 3] = true;
                }
                Token::Byte(_) => {}
            }
        }
    };
    active[0] = true;
    close(&mut active);
    let mut next = vec![false; tokens.len() + 1];
    for &byte in text {
        next.iter_mut().for_each(|n| *n = false);
        for (i, token) in tokens.iter().enumerate() {
            if !active[i] {
                continue;
            }
            match *token {
                Token::Byte(b) if b == byte => next[i + 1] = true,
                Token::Star if byte != b'/' => next[i] = true,
                Token::Globstar => next[i] = true,
                _ => {}
            }
        }
        std::mem::swap(&mut active, &mut next);
        if !active.contains(&true) {
            return false;
        }
        close(&mut active);
    }
    active[tokens.len()]
}

/// The conditions of one route; every given condition must hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Matcher {
    pub path_prefix: Option<String>,
    pub path: Option<String>,
    pub glob: Option<Glob>,
    pub destinations: Vec<String>,
    /// Upper case. Default `["GET"]`.
    pub methods: Vec<String>,
    pub navigate: Option<bool>,
    /// Extra origins allowed besides the worker's own. A matcher with
    /// origins and no other condition matches those origins only.
    pub origins: Vec<String>,
}

impl Matcher {
    /// True when nothing but the method would be tested.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty() && self.is_origins_only()
    }

    /// True when no condition but method and origin is given.
    fn is_origins_only(&self) -> bool {
        self.path_prefix.is_none()
            && self.path.is_none()
            && self.glob.is_none()
            && self.destinations.is_empty()
            && self.navigate.is_none()
    }

    /// Whether requests to `origin` may match (the worker's own unless the
    /// matcher names origins and nothing else).
    pub fn allows_origin(&self, origin: &str, own_origin: &str) -> bool {
        let listed = self.origins.iter().any(|o| o == origin);
        listed || (origin == own_origin && !self.is_origins_only())
    }

    pub fn matches(&self, request: &RequestFacts, own_origin: &str) -> bool {
        let origin_ok = self.allows_origin(request.origin, own_origin);
        origin_ok
            && self.methods.iter().any(|m| m == request.method)
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| request.path.starts_with(p))
            && self.path.as_deref().is_none_or(|p| request.path == p)
            && self.glob.as_ref().is_none_or(|g| g.matches(request.path))
            && (self.destinations.is_empty()
                || self.destinations.iter().any(|d| d == request.destination))
            && self.navigate.is_none_or(|n| n == request.navigate)
    }
}

/// What the engine does with a request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision<'a> {
    /// Not intercepted at all: the browser goes to the network as if there
    /// were no worker.
    Ignore,
    /// A precached URL: served from the precache.
    Precache,
    /// A write the engine guards against being lost offline.
    Write,
    /// A runtime route.
    Route(&'a Route),
    /// A navigation with no route, answered with the fallback page when the network fails.
    Navigation,
}

/// True for methods that change something on the server.
pub fn is_write(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// A request's URL, as `Request.url` serializes it (scheme and host in lower
/// case, no default port, a path always), split into origin, path and query
/// as `URL.search` has it (`?` included, "" for an empty query); the
/// fragment is dropped. `None` for anything but http(s)
/// (blob:, data:, an extension's own scheme: the Cache API refuses them, so
/// the worker leaves them to the browser) and for a URL with credentials,
/// which no fetch carries.
pub fn url_parts(url: &str) -> Option<(&str, &str, &str)> {
    let bytes = url.as_bytes();
    let after_scheme = if url.starts_with("https://") {
        8
    } else if url.starts_with("http://") {
        7
    } else {
        return None;
    };
    let position = |from: usize, to: usize, byte: u8| {
        bytes[from..to]
            .iter()
            .position(|&b| b == byte)
            .map_or(to, |i| from + i)
    };
    let end = position(0, bytes.len(), b'#');
    let path = position(after_scheme, end, b'/');
    let search = position(path, end, b'?');
    let origin = url.get(..path)?;
    if position(0, path, b'@') != path {
        return None;
    }
    let query = url.get(search..end)?;
    Some((
        origin,
        url.get(path..search)?,
        if query == "?" { "" } else { query },
    ))
}

/// Decides how to handle a request. `precached(path)` says whether the
/// same-origin path is in the precache manifest.
pub fn decide<'a>(
    config: &'a Config,
    request: &RequestFacts,
    own_origin: &str,
    precached: impl Fn(&str) -> bool,
) -> Decision<'a> {
    let same_origin = request.origin == own_origin;
    if same_origin
        && config
            .bypass
            .iter()
            .any(|p| request.path.starts_with(p.as_str()))
    {
        return Decision::Ignore;
    }
    if is_write(request.method) {
        // The worker's own origin, and the APIs its routes reach on others.
        let known = same_origin
            || config
                .routes
                .iter()
                .any(|route| route.matcher.origins.iter().any(|o| o == request.origin));
        let guarded = known && config.offline_writes == super::config::OfflineWrites::Reject;
        return if guarded {
            Decision::Write
        } else {
            Decision::Ignore
        };
    }
    if request.method == "GET" && same_origin && precached(request.path) {
        return Decision::Precache;
    }
    if let Some(route) = config
        .routes
        .iter()
        .find(|r| r.matcher.matches(request, own_origin))
    {
        return Decision::Route(route);
    }
    if request.navigate && config.navigation_fallback.is_some() {
        return Decision::Navigation;
    }
    Decision::Ignore
}
