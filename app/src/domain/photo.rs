//! Photos taken at the door (issue 20: "the home's condition ... with photos taken on the phone").
//! What a photo may be (a JPEG or PNG, up to [`MAX_BYTES`], up to [`MAX_PER_VISIT`] a visit) and
//! where it was taken removed before it is kept: a phone's camera writes its position (EXIF GPS)
//! into every photo, and a photo of a tenant's home must not carry the officer's route or a
//! refuge's address. Unless the officer keeps it on purpose, every metadata block that can hold a
//! position is dropped (EXIF, XMP, Photoshop/IPTC in JPEG; eXIf and text chunks in PNG); a JPEG
//! keeps only its orientation, so it still shows the right way up.

use serde::{Deserialize, Serialize};

/// The largest photo kept: 10 MiB (a 12-megapixel phone JPEG is 3 to 5).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most photos one visit keeps.
pub const MAX_PER_VISIT: u32 = 6;

/// A visit someone went to (completed, or no access): one still planned or cancelled has nothing
/// to show.
pub fn was_made(outcome: crate::domain::VisitOutcome) -> bool {
    matches!(outcome, crate::domain::VisitOutcome::Completed | crate::domain::VisitOutcome::NoAccess)
}

/// Whether a visit takes another photo: one that was made, with fewer than [`MAX_PER_VISIT`].
pub fn may_add(outcome: crate::domain::VisitOutcome, so_far: usize) -> bool {
    was_made(outcome) && so_far < MAX_PER_VISIT as usize
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageKind {
    Jpeg,
    Png,
}

impl ImageKind {
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
        }
    }
}

/// What the bytes are, by their first bytes (never by the name or the type the browser claims).
pub fn kind_of(bytes: &[u8]) -> Result<ImageKind, String> {
    if bytes.is_empty() {
        return Err("Choose a photo to add.".into());
    }
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "This photo is {:.1} MB: the most Hearth keeps is {} MB. Take it again at a lower size.",
            bytes.len() as f64 / 1_048_576.0,
            MAX_BYTES / 1_048_576
        ));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageKind::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageKind::Png);
    }
    if bytes.len() > 12 && &bytes[4..8] == b"ftyp" && [b"heic", b"heix", b"mif1", b"hevc"].iter().any(|b| &bytes[8..12] == *b) {
        return Err("This is an HEIC photo: Hearth keeps JPEG or PNG. On an iPhone, set Settings › Camera › Formats to Most Compatible.".into());
    }
    Err("This file is not a photo Hearth can keep: choose a JPEG or PNG image.".into())
}

fn unreadable() -> String {
    "This photo could not be read: it may be damaged. Take it again.".into()
}

/// The photo with every block that can say where it was taken removed (JPEG: its orientation
/// kept).
pub fn without_location(bytes: &[u8], kind: ImageKind) -> Result<Vec<u8>, String> {
    match kind {
        ImageKind::Jpeg => jpeg_without_location(bytes),
        ImageKind::Png => png_without_location(bytes),
    }
}

fn jpeg_without_location(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut i = 2;
    loop {
        if i + 2 > bytes.len() || bytes[i] != 0xFF {
            return Err(unreadable());
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            // Fill byte before a marker.
            i += 1;
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            // Start of scan (the image data, to the end) or end of image.
            out.extend_from_slice(&bytes[i..]);
            return Ok(out);
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&bytes[i..i + 2]);
            i += 2;
            continue;
        }
        if i + 4 > bytes.len() {
            return Err(unreadable());
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 || i + 2 + len > bytes.len() {
            return Err(unreadable());
        }
        let data = &bytes[i + 4..i + 2 + len];
        match marker {
            0xE1 if data.starts_with(b"Exif\0\0") => {
                if let Some(o) = orientation(&data[6..]) {
                    out.extend_from_slice(&orientation_only(o));
                }
            }
            // Other APP1 blocks (XMP), Photoshop/IPTC (APP13) and comments can all name a place.
            0xE1 | 0xED | 0xFE => {}
            _ => out.extend_from_slice(&bytes[i..i + 2 + len]),
        }
        i += 2 + len;
    }
}

/// The Orientation tag (0x0112) of a TIFF block's first IFD, if it has one.
fn orientation(tiff: &[u8]) -> Option<u16> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let ifd = u32_at(4)? as usize;
    let n = usize::from(u16_at(ifd)?);
    (0..n).map(|k| ifd + 2 + k * 12).find(|e| u16_at(*e) == Some(0x0112)).and_then(|e| u16_at(e + 8)).filter(|o| (1..=8).contains(o))
}

/// An APP1 EXIF segment holding only an orientation.
fn orientation_only(o: u16) -> Vec<u8> {
    let mut tiff = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
    tiff.extend_from_slice(&o.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&((tiff.len() + 2) as u16).to_be_bytes());
    seg.extend_from_slice(&tiff);
    seg
}

fn png_without_location(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = bytes[..8].to_vec();
    let mut i = 8;
    while i + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().map_err(|_| unreadable())?) as usize;
        let end = i.checked_add(12 + len).filter(|e| *e <= bytes.len()).ok_or_else(unreadable)?;
        let kind = &bytes[i + 4..i + 8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt") {
            out.extend_from_slice(&bytes[i..end]);
        }
        if kind == b"IEND" {
            return Ok(out);
        }
        i = end;
    }
    Err(unreadable())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A phone's EXIF block (little-endian, as most phones write it): orientation 6 (turned a
    /// quarter), a camera make, and a GPS IFD at a latitude.
    fn phone_exif() -> Vec<u8> {
        let mut t = b"II\x2a\0\x08\0\0\0".to_vec();
        t.extend_from_slice(&3u16.to_le_bytes());
        t.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation = 6
        t.extend_from_slice(&[0x0F, 0x01, 2, 0, 4, 0, 0, 0, b'A', b'c', b'm', 0]); // Make
        t.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 50, 0, 0, 0]); // GPS IFD at 50
        t.extend_from_slice(&[0, 0, 0, 0]);
        t.extend_from_slice(&1u16.to_le_bytes());
        t.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]); // GPSLatitudeRef N
        t.extend_from_slice(b"53.9591N-1.0815W");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&t);
        app1
    }

    fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(data);
        s
    }

    fn jpeg(blocks: &[Vec<u8>]) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        for b in blocks {
            j.extend_from_slice(b);
        }
        j.extend_from_slice(&segment(0xDB, &[0; 65])); // a quantisation table
        j.extend_from_slice(&segment(0xDA, &[1, 1, 0, 0, 63, 0])); // start of scan
        j.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
        j
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_phone_photo_loses_where_it_was_taken_and_keeps_which_way_up_it_is() {
        let xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<exif:GPSLatitude>53,57.5N</exif:GPSLatitude>");
        let photo = jpeg(&[segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"), segment(0xE1, &phone_exif()), xmp, segment(0xFE, b"Taken at 12 Elm Row")]);
        assert_eq!(kind_of(&photo), Ok(ImageKind::Jpeg));
        let kept = without_location(&photo, ImageKind::Jpeg).unwrap();
        for gone in [&b"53.9591N"[..], b"GPSLatitude", b"Elm Row", b"Acm"] {
            assert!(!contains(&kept, gone), "{:?} is still in the photo", String::from_utf8_lossy(gone));
        }
        assert!(contains(&kept, b"JFIF"), "the image's own header stays");
        assert!(kept.ends_with(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]), "the image data is untouched");
        let exif = kept.windows(6).position(|w| w == b"Exif\0\0").expect("an orientation block");
        assert_eq!(orientation(&kept[exif + 6..]), Some(6), "still shows the right way up");
        // A photo with no EXIF gains none.
        let plain = jpeg(&[]);
        assert_eq!(without_location(&plain, ImageKind::Jpeg).unwrap(), plain);
    }

    #[test]
    fn a_png_loses_its_metadata_chunks() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for c in [
            chunk(b"IHDR", &[0; 13]),
            chunk(b"eXIf", &phone_exif()[6..]),
            chunk(b"tEXt", b"Location\x0012 Elm Row"),
            chunk(b"IDAT", &[9; 20]),
            chunk(b"IEND", &[]),
        ] {
            png.extend_from_slice(&c);
        }
        let kept = without_location(&png, ImageKind::Png).unwrap();
        assert!(!contains(&kept, b"53.9591N") && !contains(&kept, b"Elm Row"));
        assert!(contains(&kept, b"IHDR") && contains(&kept, b"IDAT") && kept.ends_with(&chunk(b"IEND", &[])));
    }

    #[test]
    fn photos_go_on_visits_that_were_made_six_at_most() {
        use crate::domain::VisitOutcome;
        assert!(may_add(VisitOutcome::Completed, 0));
        assert!(may_add(VisitOutcome::NoAccess, 5), "a photo of the calling card or the outside");
        assert!(!may_add(VisitOutcome::Completed, 6));
        assert!(!may_add(VisitOutcome::Scheduled, 0));
        assert!(!may_add(VisitOutcome::Cancelled, 0));
    }

    #[test]
    fn only_photos_are_kept_and_each_refusal_says_why() {
        assert!(kind_of(b"").unwrap_err().contains("Choose a photo"));
        assert!(kind_of(b"%PDF-1.7 a letter").unwrap_err().contains("not a photo"));
        assert!(kind_of(b"\0\0\0\x18ftypheic\0\0\0\0").unwrap_err().contains("Most Compatible"));
        let big = [&[0xFF, 0xD8, 0xFF][..], &vec![0; MAX_BYTES]].concat();
        assert!(kind_of(&big).unwrap_err().contains("the most Hearth keeps is 10 MB"));
        // Cut short: refused, not kept half-read.
        let photo = jpeg(&[segment(0xE1, &phone_exif())]);
        assert!(without_location(&photo[..20], ImageKind::Jpeg).unwrap_err().contains("could not be read"));
        assert!(without_location(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", ImageKind::Png).is_err());
    }
}
