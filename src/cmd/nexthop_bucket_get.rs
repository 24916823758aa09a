//! `nlq nexthops buckets get --id ID --index N`: one bucket of a
//! resilient group, asked of the kernel with a single RTM_GETNEXTHOPBUCKET
//! request (not a dump), as iproute2's `ipnh_bucket_get_id` does.
//!
//! The request is a `struct nhmsg` of family 0, NHA_ID and a nested
//! NHA_RES_BUCKET holding NHA_RES_BUCKET_INDEX (a u16). When there is no
//! such bucket the kernel says why (extended ack: "Bucket index out of
//! bounds", "Nexthop group not of type resilient", "Not a nexthop group";
//! plain ENOENT for an id that does not exist), which nlq reports as ip
//! does, naming the bucket asked for, exit 1. The answer is shown by the
//! renderers of `nlq nexthops buckets`, as a one-element list (as `ip -j
//! nexthop bucket get` prints it).

use std::io::Write;

use super::Env;
use crate::Error;
use crate::dump::DumpError;
use crate::model::nexthop_bucket::Bucket;
use crate::wire::attr::NLA_F_NESTED;
use crate::wire::nhmsg::{
    NHA_ID, NHA_RES_BUCKET, NHA_RES_BUCKET_INDEX, NhMsgRepr, RTM_GETNEXTHOPBUCKET,
    RTM_NEWNEXTHOPBUCKET,
};
use crate::wire::nlmsg::{NLM_F_REQUEST, NlMsg, RequestBuilder};

/// `nlq nexthops buckets get`: the group and the bucket's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The resilient group's nexthop id (NHA_ID).
    pub id: u32,
    /// The bucket's index in the group (NHA_RES_BUCKET_INDEX).
    pub index: u16,
}

impl Settings {
    /// The RTM_GETNEXTHOPBUCKET lookup request.
    pub fn request(&self) -> Result<Vec<u8>, Error> {
        // The nest holds one attribute: NHA_RES_BUCKET_INDEX, a u16 padded
        // to 8 bytes (its length says 6).
        let mut nest = [0u8; 8];
        nest[..2].copy_from_slice(&6u16.to_ne_bytes());
        nest[2..4].copy_from_slice(&NHA_RES_BUCKET_INDEX.to_ne_bytes());
        nest[4..6].copy_from_slice(&self.index.to_ne_bytes());
        let mut buf = [0u8; 64];
        let req = RequestBuilder::new(&mut buf, RTM_GETNEXTHOPBUCKET, NLM_F_REQUEST, 0)
            .fixed(&NhMsgRepr::default().emit())
            .attr_u32(NHA_ID, self.id)
            .attr(NHA_RES_BUCKET | NLA_F_NESTED, &nest)
            .finish()
            .map_err(DumpError::from)?;
        Ok(req.to_vec())
    }

    /// The bucket as the user named it, for errors.
    fn what(&self) -> String {
        format!("nexthop group {} bucket {}", self.id, self.index)
    }
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let failed = |error| Error::Request {
        what: args.what(),
        error,
    };
    let req = args.request()?;
    let answer = env
        .dumper
        .request(&mut *env.transport, &req)
        .map_err(failed)?;
    let bucket = decode(&answer).map_err(failed)?;
    crate::render::nexthop_bucket::write(out, env.format, &[bucket])?;
    Ok(())
}

/// The bucket in the kernel's answer; any other message is an error.
fn decode(answer: &[u8]) -> Result<Bucket, DumpError> {
    let msg = NlMsg::new_checked(answer)?;
    let bad =
        |what: String| DumpError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, what));
    if msg.kind() != RTM_NEWNEXTHOPBUCKET {
        return Err(bad(format!(
            "the kernel answered with message type {}",
            msg.kind()
        )));
    }
    Bucket::try_from_msg(&msg)?.ok_or_else(|| bad("the answer holds no bucket".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_names_group_and_index() {
        let s = Settings { id: 10, index: 3 };
        let req = s.request().unwrap();
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        assert_eq!(
            (msg.kind(), msg.flags()),
            (RTM_GETNEXTHOPBUCKET, NLM_F_REQUEST)
        );
        #[rustfmt::skip]
        let payload: &[u8] = &[
            0, 0, 0, 0,             // nh_family, scope, protocol, resvd
            0, 0, 0, 0,             // nh_flags
            8, 0, 1, 0,             // NHA_ID, len 8
            10, 0, 0, 0,            //   id 10
            12, 0, 13, 0x80,        // NHA_RES_BUCKET | NLA_F_NESTED, len 12
            6, 0, 1, 0, 3, 0, 0, 0, //   NHA_RES_BUCKET_INDEX 3 (u16 + pad)
        ];
        assert_eq!(msg.payload(), payload);
    }

    #[test]
    fn an_answer_of_another_type_is_an_error() {
        #[rustfmt::skip]
        let answer: &[u8] = &[
            24, 0, 0, 0,            // nlmsg_len
            104, 0, 0, 0,           // RTM_NEWNEXTHOP, flags
            0, 0, 0, 0, 0, 0, 0, 0, // seq, pid
            0, 0, 0, 0, 0, 0, 0, 0, // nhmsg
        ];
        assert!(decode(answer).is_err());
        let mut bucket = answer.to_vec();
        bucket[4] = 116; // RTM_NEWNEXTHOPBUCKET
        assert_eq!(decode(&bucket).unwrap().id, None);
    }
}
