//! Reading the SSH wire encoding (RFC 4251 §5): big-endian integers and length-prefixed
//! strings, for the parts of sshsig blobs and certificates that `ssh_key` cannot read.

/// A cursor over SSH wire-encoded bytes. Every read checks its length, so truncated or hostile
/// input gives `None`, never a panic.
pub(crate) struct Wire<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Wire<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// How many bytes have been read.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// Reads `len` raw bytes.
    pub(crate) fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let value = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(value)
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        let bytes = self.bytes(4)?.try_into().ok()?;
        Some(u32::from_be_bytes(bytes))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        let bytes = self.bytes(8)?.try_into().ok()?;
        Some(u64::from_be_bytes(bytes))
    }

    /// Reads a `string`: a u32 length, then that many bytes.
    pub(crate) fn string(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u32()?).ok()?;
        self.bytes(len)
    }

    /// Reads a `string` that must be UTF-8.
    pub(crate) fn text(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.string()?).ok()
    }
}

/// Appends `value` as a wire `string`; `None` if it is longer than a u32 can say.
pub(crate) fn put_string(out: &mut Vec<u8>, value: &[u8]) -> Option<()> {
    out.extend_from_slice(&u32::try_from(value.len()).ok()?.to_be_bytes());
    out.extend_from_slice(value);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::{Wire, put_string};

    #[test]
    fn reads_what_it_writes_and_stops_at_truncation() {
        let mut out = Vec::new();
        put_string(&mut out, b"ssh-ed25519").expect("short");
        out.extend_from_slice(&7u64.to_be_bytes());
        let mut wire = Wire::new(&out);
        assert_eq!(wire.text(), Some("ssh-ed25519"));
        assert_eq!(wire.position(), 15);
        assert_eq!(wire.u64(), Some(7));
        assert_eq!(wire.u32(), None);
        assert_eq!(Wire::new(&[0, 0, 0, 9, 1]).string(), None);
        assert_eq!(Wire::new(&[0xff, 0xff, 0xff, 0xff]).string(), None);
    }
}
