//! The payload of an index file: a [`SourceData`] in a length-prefixed binary form.
//!
//! Integers are LEB128 varints, strings a varint length and UTF-8 bytes, sequences a varint
//! count and their items, options a `0`/`1` byte. Every read is bounds-checked and every tag
//! validated: bytes that do not decode are [`Corrupt`], never a panic, and a count can never
//! ask for more items than there are bytes left. Paths of bad records are stored relative to
//! the source, so an index is valid for a copy of the same data anywhere.

use crate::BadRecord;
use crate::entry::{
    AffectedVersions, Kind, ListedVersion, OsvEntry, OsvPackage, RustsecEntry, VersionRange,
};
use crate::osv::range::{EventKind, Placed, Point};
use crate::osv::{EcosystemVersion, Pep440Version};
use crate::source::SourceData;
use secgate_core::Severity;
use semver::{BuildMetadata, Prerelease, Version};
use std::path::{Component, Path};

/// Bytes that are not a payload this version wrote.
#[derive(Debug)]
pub(super) struct Corrupt;

type Result<T> = std::result::Result<T, Corrupt>;

#[derive(Default)]
pub(super) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    fn len(&mut self, n: usize) {
        self.uint(n as u64);
    }

    fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn opt<T>(&mut self, v: Option<&T>, f: impl FnOnce(&mut Self, &T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                f(self, v);
            }
        }
    }

    fn seq<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.len(items.len());
        for item in items {
            f(self, item);
        }
    }

    fn strings(&mut self, items: &[String]) {
        self.seq(items, |w, s| w.str(s));
    }
}

pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    pub fn u8(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.pos).ok_or(Corrupt)?;
        self.pos += 1;
        Ok(b)
    }

    pub fn uint(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(Corrupt);
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Corrupt)
    }

    fn u32(&mut self) -> Result<u32> {
        u32::try_from(self.uint()?).map_err(|_| Corrupt)
    }

    /// A length or count: never more than the bytes left, so no read allocates for bytes
    /// that are not there.
    fn len(&mut self) -> Result<usize> {
        let n = usize::try_from(self.uint()?).map_err(|_| Corrupt)?;
        if n > self.bytes.len() - self.pos {
            return Err(Corrupt);
        }
        Ok(n)
    }

    fn bool(&mut self) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Corrupt),
        }
    }

    pub fn str(&mut self) -> Result<&'a str> {
        let n = self.len()?;
        let bytes = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        std::str::from_utf8(bytes).map_err(|_| Corrupt)
    }

    pub fn string(&mut self) -> Result<String> {
        self.str().map(str::to_owned)
    }

    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<Option<T>> {
        match self.u8()? {
            0 => Ok(None),
            1 => f(self).map(Some),
            _ => Err(Corrupt),
        }
    }

    fn seq<T>(&mut self, mut f: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let n = self.len()?;
        let mut items = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            items.push(f(self)?);
        }
        Ok(items)
    }

    fn strings(&mut self) -> Result<Vec<String>> {
        self.seq(Reader::string)
    }
}

/// A bad record's path relative to `root`, `/`-separated (empty: `root` itself); `None` when
/// it is not below `root` or not UTF-8, and the source cannot be indexed.
pub(super) fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(name) => parts.push(name.to_str()?),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Writes `data`; `None` when a bad record's path cannot be stored relative to `root`.
pub(super) fn encode(w: &mut Writer, root: &Path, data: &SourceData) -> Option<()> {
    w.uint(data.crates as u64);
    w.uint(data.records as u64);
    w.uint(data.other_ecosystems as u64);
    w.len(data.bad.len());
    for bad in &data.bad {
        w.str(&relative(root, &bad.path)?);
        w.opt(bad.entry.as_ref(), |w, e| w.str(e));
        w.uint(u64::from(bad.line));
        w.uint(u64::from(bad.column));
        w.str(&bad.message);
    }
    w.seq(&data.rustsec, |w, (dir, a)| {
        w.str(dir);
        rustsec(w, a);
    });
    w.seq(&data.osv, osv);
    Some(())
}

/// Reads what [`encode`] wrote, with bad records' paths made absolute again below `root`.
pub(super) fn decode(r: &mut Reader<'_>, root: &Path) -> Result<SourceData> {
    let count = |r: &mut Reader<'_>| usize::try_from(r.uint()?).map_err(|_| Corrupt);
    let crates = count(r)?;
    let records = count(r)?;
    let other_ecosystems = count(r)?;
    let bad = r.seq(|r| {
        let rel = r.str()?;
        let mut path = root.to_path_buf();
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            if part == "." || part == ".." {
                return Err(Corrupt);
            }
            path.push(part);
        }
        Ok(BadRecord {
            path,
            entry: r.opt(Reader::string)?,
            line: r.u32()?,
            column: r.u32()?,
            message: r.string()?,
        })
    })?;
    let rustsec = r.seq(|r| Ok((r.string()?, read_rustsec(r)?)))?;
    let osv = r.seq(read_osv)?;
    Ok(SourceData {
        crates,
        records,
        other_ecosystems,
        rustsec,
        osv,
        bad,
    })
}

fn rustsec(w: &mut Writer, a: &RustsecEntry) {
    w.str(&a.id);
    w.str(&a.package);
    kind(w, a.kind);
    w.str(&a.title);
    w.str(&a.url);
    w.strings(&a.aliases);
    severity(w, a.severity);
    w.bool(a.withdrawn);
    w.bool(a.other_registry);
    w.seq(&a.affected, |w, range| {
        w.opt(range.introduced.as_ref(), version);
        w.opt(range.fixed.as_ref(), version);
    });
    w.str(&a.fix);
}

fn read_rustsec(r: &mut Reader<'_>) -> Result<RustsecEntry> {
    Ok(RustsecEntry {
        id: r.string()?,
        package: r.string()?,
        kind: read_kind(r)?,
        title: r.string()?,
        url: r.string()?,
        aliases: r.strings()?,
        severity: read_severity(r)?,
        withdrawn: r.bool()?,
        other_registry: r.bool()?,
        affected: r.seq(|r| {
            Ok(VersionRange {
                introduced: r.opt(read_version)?,
                fixed: r.opt(read_version)?,
            })
        })?,
        fix: r.string()?,
    })
}

fn osv(w: &mut Writer, e: &OsvEntry) {
    w.str(&e.id);
    // Seconds since the epoch as two's complement, then nanoseconds (0..1e9).
    w.uint(e.modified.as_second().cast_unsigned());
    w.uint(u64::from(e.modified.subsec_nanosecond().cast_unsigned()));
    w.bool(e.withdrawn);
    w.str(&e.message);
    w.str(&e.url);
    w.strings(&e.aliases);
    w.seq(&e.packages, |w, p| {
        w.str(&p.ecosystem);
        w.str(&p.name);
        severity(w, p.severity);
        w.opt(p.upgrade.as_ref(), |w, u| w.str(u));
        w.seq(&p.affected, |w, a| {
            kind(w, a.kind);
            w.seq(&a.versions, |w, v| {
                w.str(&v.text);
                w.opt(v.parsed.as_ref(), line_version);
            });
            w.seq(&a.ranges, |w, events| {
                w.seq(events, |w, e| {
                    w.u8(match e.kind {
                        EventKind::Introduced => 0,
                        EventKind::Fixed => 1,
                        EventKind::LastAffected => 2,
                        EventKind::Limit => 3,
                    });
                    match &e.at {
                        Point::Zero => w.u8(0),
                        Point::At(v) => {
                            w.u8(1);
                            line_version(w, v);
                        }
                        Point::Infinity => w.u8(2),
                    }
                });
            });
        });
    });
}

fn read_osv(r: &mut Reader<'_>) -> Result<OsvEntry> {
    let id = r.string()?;
    let seconds = r.uint()?.cast_signed();
    let nanos = i32::try_from(r.uint()?).map_err(|_| Corrupt)?;
    Ok(OsvEntry {
        id,
        modified: jiff::Timestamp::new(seconds, nanos).map_err(|_| Corrupt)?,
        withdrawn: r.bool()?,
        message: r.string()?,
        url: r.string()?,
        aliases: r.strings()?,
        packages: r.seq(|r| {
            Ok(OsvPackage {
                ecosystem: r.string()?,
                name: r.string()?,
                severity: read_severity(r)?,
                upgrade: r.opt(Reader::string)?,
                affected: r.seq(read_affected)?,
            })
        })?,
    })
}

fn read_affected(r: &mut Reader<'_>) -> Result<AffectedVersions> {
    Ok(AffectedVersions {
        kind: read_kind(r)?,
        versions: r.seq(|r| {
            Ok(ListedVersion {
                text: r.string()?,
                parsed: r.opt(read_line_version)?,
            })
        })?,
        ranges: r.seq(|r| {
            r.seq(|r| {
                let kind = match r.u8()? {
                    0 => EventKind::Introduced,
                    1 => EventKind::Fixed,
                    2 => EventKind::LastAffected,
                    3 => EventKind::Limit,
                    _ => return Err(Corrupt),
                };
                let at = match r.u8()? {
                    0 => Point::Zero,
                    1 => Point::At(read_line_version(r)?),
                    2 => Point::Infinity,
                    _ => return Err(Corrupt),
                };
                Ok(Placed { kind, at })
            })
        })?,
    })
}

/// A version of an OSV package's line: a tag, then a semantic version as [`version`] writes
/// it or a PEP 440 version as its normalized text (which parses back to the same version).
fn line_version(w: &mut Writer, v: &EcosystemVersion) {
    match v {
        EcosystemVersion::Semver(v) => {
            w.u8(0);
            version(w, v);
        }
        EcosystemVersion::Pep440(v) => {
            w.u8(1);
            w.str(&v.to_string());
        }
    }
}

fn read_line_version(r: &mut Reader<'_>) -> Result<EcosystemVersion> {
    match r.u8()? {
        0 => Ok(EcosystemVersion::Semver(read_version(r)?)),
        1 => Pep440Version::parse(r.str()?)
            .map(EcosystemVersion::Pep440)
            .ok_or(Corrupt),
        _ => Err(Corrupt),
    }
}

fn version(w: &mut Writer, v: &Version) {
    w.uint(v.major);
    w.uint(v.minor);
    w.uint(v.patch);
    w.str(v.pre.as_str());
    w.str(v.build.as_str());
}

fn read_version(r: &mut Reader<'_>) -> Result<Version> {
    let (major, minor, patch) = (r.uint()?, r.uint()?, r.uint()?);
    let pre = match r.str()? {
        "" => Prerelease::EMPTY,
        s => Prerelease::new(s).map_err(|_| Corrupt)?,
    };
    let build = match r.str()? {
        "" => BuildMetadata::EMPTY,
        s => BuildMetadata::new(s).map_err(|_| Corrupt)?,
    };
    Ok(Version {
        major,
        minor,
        patch,
        pre,
        build,
    })
}

fn kind(w: &mut Writer, k: Kind) {
    w.u8(match k {
        Kind::Vulnerability => 0,
        Kind::Unmaintained => 1,
        Kind::Unsound => 2,
        Kind::Notice => 3,
    });
}

fn read_kind(r: &mut Reader<'_>) -> Result<Kind> {
    Ok(match r.u8()? {
        0 => Kind::Vulnerability,
        1 => Kind::Unmaintained,
        2 => Kind::Unsound,
        3 => Kind::Notice,
        _ => return Err(Corrupt),
    })
}

fn severity(w: &mut Writer, s: Option<Severity>) {
    w.u8(match s {
        None => 0,
        Some(Severity::None) => 1,
        Some(Severity::Low) => 2,
        Some(Severity::Medium) => 3,
        Some(Severity::High) => 4,
        Some(Severity::Critical) => 5,
    });
}

fn read_severity(r: &mut Reader<'_>) -> Result<Option<Severity>> {
    Ok(match r.u8()? {
        0 => None,
        1 => Some(Severity::None),
        2 => Some(Severity::Low),
        3 => Some(Severity::Medium),
        4 => Some(Severity::High),
        5 => Some(Severity::Critical),
        _ => return Err(Corrupt),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_overlong_ones_are_corrupt() {
        let mut w = Writer::default();
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            w.uint(v);
        }
        let mut r = Reader::new(&w.bytes);
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(r.uint().unwrap(), v);
        }
        assert!(r.at_end());
        assert!(Reader::new(&[0xff; 11]).uint().is_err());
        assert!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])
                .uint()
                .is_err()
        );
        assert!(Reader::new(&[0x80]).uint().is_err(), "truncated");
    }

    #[test]
    fn lengths_beyond_the_bytes_left_are_corrupt() {
        let mut w = Writer::default();
        w.uint(1 << 40);
        w.bytes.extend_from_slice(b"abc");
        assert!(Reader::new(&w.bytes).str().is_err());
        assert!(Reader::new(&w.bytes).strings().is_err());
        assert!(Reader::new(&[2, 0xff, 0xfe]).str().is_err(), "not UTF-8");
    }

    #[test]
    fn relative_paths_are_utf8_components_below_the_root() {
        let root = Path::new("/db/rustsec");
        assert_eq!(
            relative(root, Path::new("/db/rustsec/crates/x/RUSTSEC-1.md")).as_deref(),
            Some("crates/x/RUSTSEC-1.md")
        );
        assert_eq!(relative(root, root).as_deref(), Some(""));
        assert_eq!(relative(root, Path::new("/elsewhere/x.md")), None);
    }
}
