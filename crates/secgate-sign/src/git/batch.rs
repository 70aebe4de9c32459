//! Reading many objects with one `git cat-file --batch`: a range can hold thousands of
//! commits, and one process per commit would dominate the gate's run time.

use super::command;
use crate::SignError;
use std::path::Path;

/// One object as `cat-file --batch` prints it.
#[derive(Debug)]
pub(super) struct RawObject {
    /// The object id.
    pub id: String,
    /// `commit`, `tag`, `tree` or `blob`.
    pub kind: String,
    /// The object's content.
    pub data: Vec<u8>,
}

/// Reads the objects `ids`, in order. Each answer is `<id> <type> <size>\n<content>\n`, or
/// `<name> missing\n`, which is an error.
pub(super) fn read_objects(dir: &Path, ids: &[String]) -> Result<Vec<RawObject>, SignError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let args = ["cat-file", "--batch"];
    let mut input = Vec::with_capacity(ids.len() * 65);
    for id in ids {
        input.extend_from_slice(id.as_bytes());
        input.push(b'\n');
    }
    let output = command::run_with_input(dir, &args, input)?;
    if !output.status.success() {
        return Err(command::failed(dir, &args, &output));
    }
    let mut rest = output.stdout.as_slice();
    let mut objects = Vec::with_capacity(ids.len());
    for id in ids {
        let (object, after) = next_object(rest).map_err(|what| {
            SignError::Git(format!(
                "cannot read object {id} in {}: {what}",
                dir.display()
            ))
        })?;
        objects.push(object);
        rest = after;
    }
    Ok(objects)
}

/// Parses one answer off the front of `out`; the rest follows.
fn next_object(out: &[u8]) -> Result<(RawObject, &[u8]), String> {
    let newline = out
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("`git cat-file --batch` ended early")?;
    let (header, after_header) = out.split_at(newline);
    let header = String::from_utf8_lossy(header);
    let fields: Vec<&str> = header.split(' ').collect();
    let [id, kind, size] = fields.as_slice() else {
        return Err(if header.ends_with(" missing") {
            "no such object".to_owned()
        } else {
            format!("unexpected `git cat-file --batch` output `{header}`")
        });
    };
    let size: usize = size
        .parse()
        .map_err(|_| format!("unexpected object size `{size}`"))?;
    let body = after_header.get(1..).unwrap_or_default();
    let (data, after) = body
        .split_at_checked(size)
        .ok_or("`git cat-file --batch` output is cut short")?;
    // Every object is followed by a newline of its own.
    let after = after
        .strip_prefix(b"\n")
        .ok_or("`git cat-file --batch` output is not delimited")?;
    let object = RawObject {
        id: (*id).to_owned(),
        kind: (*kind).to_owned(),
        data: data.to_vec(),
    };
    Ok((object, after))
}

#[cfg(test)]
mod tests {
    use super::next_object;

    #[test]
    fn answers_are_read_back_to_back() {
        let out = b"aa commit 3\nabc\nbb tag 0\n\n";
        let (first, rest) = next_object(out).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((first.id.as_str(), first.kind.as_str()), ("aa", "commit"));
        assert_eq!(first.data, b"abc");
        let (second, rest) = next_object(rest).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((second.id.as_str(), second.data.len()), ("bb", 0));
        assert!(rest.is_empty());
    }

    #[test]
    fn missing_and_truncated_answers_are_errors() {
        assert_eq!(
            next_object(b"deadbeef missing\n").err().as_deref(),
            Some("no such object")
        );
        for bad in [
            &b""[..],
            b"aa commit 9\nabc\n",
            b"aa commit x\n",
            b"aa commit 1\nab",
        ] {
            assert!(
                next_object(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
