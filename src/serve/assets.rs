//! The stylesheet, script and icon, compiled into the binary: the page loads nothing from
//! another host and nothing from the disk. Only these names are served; any other path under
//! `/assets/` is a 404, so no request can reach a file.

/// Where the page links its assets.
pub const STYLE_PATH: &str = "/assets/style.css";
pub const SCRIPT_PATH: &str = "/assets/app.js";
pub const ICON_PATH: &str = "/assets/icon.svg";

/// An embedded file and its media type.
pub struct Asset {
    pub body: &'static [u8],
    pub media_type: &'static str,
}

/// The asset with this file name, if there is one.
pub fn named(name: &str) -> Option<Asset> {
    let (body, media_type): (&'static [u8], &str) = match name {
        "style.css" => (
            include_bytes!("assets/style.css"),
            "text/css; charset=utf-8",
        ),
        "app.js" => (
            include_bytes!("assets/app.js"),
            "text/javascript; charset=utf-8",
        ),
        "icon.svg" => (include_bytes!("assets/icon.svg"), "image/svg+xml"),
        _ => return None,
    };
    Some(Asset { body, media_type })
}
