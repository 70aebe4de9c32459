//! The exact bytes signatures are computed over, cut out of the DER as received: the `der`
//! crate sorts SET OF on decoding, so re-encoding a decoded structure could change the bytes a
//! TSA signed.

use crate::sigstore::BundleError;
use der::Decode as _;

/// DER tags this walk needs.
const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const CONTEXT_0: u8 = 0xa0;
const CONTEXT_1: u8 = 0xa1;
const GENERALIZED_TIME: u8 = 0x18;
const INTEGER: u8 = 0x02;
const OID: u8 = 0x06;

/// One DER element at the front of `input`.
struct Tlv<'a> {
    tag: u8,
    /// The whole element, header included.
    whole: &'a [u8],
    /// The contents.
    value: &'a [u8],
}

/// Splits the first DER element off `input`: the element and what follows it.
fn split(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), BundleError> {
    let bad = || BundleError::new("timestamp: malformed DER");
    let mut reader = der::SliceReader::new(input).map_err(|_| bad())?;
    let header = der::Header::decode(&mut reader).map_err(|_| bad())?;
    let header_len = usize::try_from(der::Reader::position(&reader)).map_err(|_| bad())?;
    let value_len = usize::try_from(header.length).map_err(|_| bad())?;
    let end = header_len.checked_add(value_len).ok_or_else(bad)?;
    let tag = *input.first().ok_or_else(bad)?;
    let tlv = Tlv {
        tag,
        whole: input.get(..end).ok_or_else(bad)?,
        value: input.get(header_len..end).ok_or_else(bad)?,
    };
    Ok((tlv, input.get(end..).ok_or_else(bad)?))
}

/// Splits the first element off `input` and checks its tag.
fn expect<'a>(input: &'a [u8], tag: u8, what: &str) -> Result<(Tlv<'a>, &'a [u8]), BundleError> {
    let (tlv, rest) = split(input)?;
    if tlv.tag == tag {
        Ok((tlv, rest))
    } else {
        Err(BundleError::new(format!("timestamp: malformed {what}")))
    }
}

/// The `TimeStampToken` (a CMS `ContentInfo`) in `input`, a DER `TimeStampResp` whose status is
/// granted or a bare token.
pub(super) fn time_stamp_token(input: &[u8]) -> Result<&[u8], BundleError> {
    let (outer, trailing) = expect(input, SEQUENCE, "timestamp")?;
    if !trailing.is_empty() {
        return Err(BundleError::new("timestamp: trailing data after the DER"));
    }
    let (first, rest) = split(outer.value)?;
    match first.tag {
        OID => Ok(outer.whole), // ContentInfo ::= SEQUENCE { contentType OID, content [0] }
        SEQUENCE => {
            // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }
            let (status, _) = expect(first.value, INTEGER, "PKIStatusInfo")?;
            if !matches!(status.value, [0 | 1]) {
                return Err(BundleError::new(
                    "timestamp: the response's status is not granted",
                ));
            }
            if rest.is_empty() {
                return Err(BundleError::new("timestamp: the response carries no token"));
            }
            let (token, _) = expect(rest, SEQUENCE, "TimeStampToken")?;
            Ok(token.whole)
        }
        _ => Err(BundleError::new(
            "timestamp: neither a TimeStampResp nor a TimeStampToken",
        )),
    }
}

/// What the CMS signature checks need from a `SignedData`, as received.
pub(super) struct RawSignedData<'a> {
    /// The embedded certificates (`certificates [0]`), each a DER `Certificate` or other choice.
    pub certificates: Vec<&'a [u8]>,
    /// The first signer's signed attributes re-tagged as `SET OF` (what the signer signed).
    pub signed_attrs: Option<Vec<u8>>,
}

/// Cuts the certificates and the first signer's signed attributes out of DER `SignedData`.
pub(super) fn signed_data(der: &[u8]) -> Result<RawSignedData<'_>, BundleError> {
    let (sd, _) = expect(der, SEQUENCE, "SignedData")?;
    let (_version, rest) = split(sd.value)?;
    let (_digest_algorithms, rest) = split(rest)?;
    let (_encap, mut rest) = split(rest)?;
    let mut certificates = Vec::new();
    loop {
        let (field, after) = split(rest)?;
        match field.tag {
            CONTEXT_0 => {
                let mut certs = field.value;
                while !certs.is_empty() {
                    let (cert, after_cert) = split(certs)?;
                    certificates.push(cert.whole);
                    certs = after_cert;
                }
            }
            CONTEXT_1 => {} // revocation information: not used
            _ => break,
        }
        rest = after;
    }
    let (signer_infos, _) = expect(rest, SET, "SignerInfos")?;
    let (signer, _) = expect(signer_infos.value, SEQUENCE, "SignerInfo")?;
    let (_version, rest) = split(signer.value)?;
    let (_sid, rest) = split(rest)?;
    let (_digest_alg, rest) = split(rest)?;
    let signed_attrs = match split(rest)? {
        (attrs, _) if attrs.tag == CONTEXT_0 => {
            // Signed over with the universal SET OF tag, not the IMPLICIT [0] it travels in.
            let mut set = attrs.whole.to_vec();
            if let Some(tag) = set.first_mut() {
                *tag = SET;
            }
            Some(set)
        }
        _ => None,
    };
    Ok(RawSignedData {
        certificates,
        signed_attrs,
    })
}

/// The `tbsCertificate` of a DER certificate, as signed.
pub(super) fn tbs_certificate(cert: &[u8]) -> Result<&[u8], BundleError> {
    let (outer, _) = expect(cert, SEQUENCE, "certificate")?;
    let (tbs, _) = expect(outer.value, SEQUENCE, "tbsCertificate")?;
    Ok(tbs.whole)
}

/// The `TSTInfo` fields the verification uses, read leniently enough to accept a generation time
/// with fractional seconds (RFC 3161 allows them; the `der` crate's `GeneralizedTime` does not).
pub(super) struct TstInfo<'a> {
    /// `messageImprint`, DER.
    pub message_imprint: &'a [u8],
    /// `genTime`, seconds since the epoch (fractions dropped).
    pub gen_time: i64,
}

/// Reads `TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, ... }`.
pub(super) fn tst_info(der: &[u8]) -> Result<TstInfo<'_>, BundleError> {
    let (info, _) = expect(der, SEQUENCE, "TSTInfo")?;
    let (_version, rest) = split(info.value)?;
    let (_policy, rest) = split(rest)?;
    let (imprint, rest) = expect(rest, SEQUENCE, "messageImprint")?;
    let (_serial, rest) = split(rest)?;
    let (time, _) = expect(rest, GENERALIZED_TIME, "genTime")?;
    Ok(TstInfo {
        message_imprint: imprint.whole,
        gen_time: generalized_time(time.value)?,
    })
}

/// `YYYYMMDDhhmmss[.fraction]Z` to seconds since the epoch.
fn generalized_time(text: &[u8]) -> Result<i64, BundleError> {
    let bad = || BundleError::new("timestamp: malformed genTime");
    let text = std::str::from_utf8(text).map_err(|_| bad())?;
    let text = text.strip_suffix('Z').ok_or_else(bad)?;
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() != 14 || !digits(whole) || !digits(fraction) {
        return Err(bad());
    }
    let field = |range: std::ops::Range<usize>| -> Result<i16, BundleError> {
        whole
            .get(range)
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)
    };
    let time = jiff::civil::DateTime::new(
        field(0..4)?,
        i8::try_from(field(4..6)?).map_err(|_| bad())?,
        i8::try_from(field(6..8)?).map_err(|_| bad())?,
        i8::try_from(field(8..10)?).map_err(|_| bad())?,
        i8::try_from(field(10..12)?).map_err(|_| bad())?,
        i8::try_from(field(12..14)?).map_err(|_| bad())?,
        0,
    )
    .map_err(|_| bad())?;
    let zoned = time.to_zoned(jiff::tz::TimeZone::UTC).map_err(|_| bad())?;
    Ok(zoned.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::{generalized_time, split, tbs_certificate};

    #[test]
    fn generalized_times_with_and_without_fractions() {
        assert_eq!(generalized_time(b"20250612120220Z").unwrap(), 1_749_729_740);
        assert_eq!(
            generalized_time(b"20250612120220.125Z").unwrap(),
            1_749_729_740
        );
        for bad in [
            &b"20250612120220"[..],
            b"2025061212022Z",
            b"20251312120220Z",
            b"2025061212022aZ",
            b"20250612120220.Z",
        ] {
            assert!(
                generalized_time(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn truncated_der_is_rejected() {
        assert!(split(&[0x30, 0x05, 0x02, 0x01]).is_err());
        assert!(split(&[]).is_err());
        assert!(tbs_certificate(&[0x30, 0x02, 0x05, 0x00]).is_err());
    }
}
