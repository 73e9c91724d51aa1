//! Groups of states and their members, so that a group is never counted as a pair with one of
//! its own members (a sentence "Kazakhstan and the SCO" or "Uzbekistan and its neighbours" is
//! one state inside its group, not two partners).
//!
//! A *group* here is a code of `../shared/spec/events.md` ("Groups and organisations") that
//! stands for its member states acting together: the region (`CAS`), the regional organisations
//! and their summits (`SCO`, `CIS`, `EAEU`, `OTS`, `CICA`, `IFAS`, `CAREC`, `CSTO`, `ECO`, `GCC`,
//! `EU`). Bodies that act through their own secretariats, agencies or banks towards a state (the
//! UN and its agencies, `OSCE`, `IOM`, `ICRC`, `GAVI`, `OECD` and the lenders `WB`, `ADB`,
//! `AIIB`, `EBRD`, `EDB`, `ISDB`) are not groups in this sense: "the UN and Kazakhstan" is an
//! organisation and a state, and counts as their pair.
//!
//! Membership is the present one of full members and, for the CIS, Turkmenistan as associate
//! member (it takes part in the CIS's meetings); observers and dialogue partners are not members.
//! The lists are codes, not names, like [`crate::NON_STATE_CODES`].

use crate::ActorCode;

/// Each group and its members, sorted by group; members sorted.
const MEMBERS: &[(&str, &[&str])] = &[
    ("CAREC", &["AFG", "AZE", "CHN", "GEO", "KAZ", "KGZ", "MNG", "PAK", "TJK", "TKM", "UZB"]),
    ("CAS", &["KAZ", "KGZ", "TJK", "TKM", "UZB"]),
    (
        "CICA",
        &[
            "AFG", "ARE", "AZE", "BGD", "BHR", "CHN", "EGY", "IND", "IRN", "IRQ", "ISR", "JOR", "KAZ", "KGZ", "KHM",
            "KOR", "KWT", "LKA", "MNG", "PAK", "PSE", "QAT", "RUS", "THA", "TJK", "TUR", "UZB", "VNM",
        ],
    ),
    ("CIS", &["ARM", "AZE", "BLR", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UZB"]),
    ("CSTO", &["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]),
    ("EAEU", &["ARM", "BLR", "KAZ", "KGZ", "RUS"]),
    ("ECO", &["AFG", "AZE", "IRN", "KAZ", "KGZ", "PAK", "TJK", "TKM", "TUR", "UZB"]),
    (
        "EU",
        &[
            "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN", "IRL",
            "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE",
        ],
    ),
    ("GCC", &["ARE", "BHR", "KWT", "OMN", "QAT", "SAU"]),
    ("IFAS", &["KAZ", "KGZ", "TJK", "TKM", "UZB"]),
    ("OTS", &["AZE", "KAZ", "KGZ", "TUR", "UZB"]),
    ("SCO", &["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]),
];

/// The member states of a group code, or `None` when the code is not a group (a state, or an
/// organisation that is not counted as its members).
pub fn members(group: &ActorCode) -> Option<&'static [&'static str]> {
    MEMBERS.binary_search_by(|(g, _)| (*g).cmp(group.as_str())).ok().map(|i| MEMBERS[i].1)
}

/// `member` is one of `group`'s members.
pub fn is_member(group: &ActorCode, member: &ActorCode) -> bool {
    members(group).is_some_and(|m| m.binary_search(&member.as_str()).is_ok())
}

/// Two actors that can be shown as a pair: different, and neither a group the other belongs to.
pub fn is_pair(x: &ActorCode, y: &ActorCode) -> bool {
    x != y && !is_member(x, y) && !is_member(y, x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> ActorCode {
        ActorCode::new(s).unwrap()
    }

    #[test]
    fn the_table_is_sorted_and_every_group_is_a_non_state_code() {
        let groups: Vec<&str> = MEMBERS.iter().map(|(g, _)| *g).collect();
        let mut sorted = groups.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(groups, sorted);
        for (g, m) in MEMBERS {
            assert!(!crate::is_state(&a(g)), "{g} is listed as a group but is taken for a state");
            let mut s = m.to_vec();
            s.sort_unstable();
            s.dedup();
            assert_eq!(&s, m, "{g}'s members are sorted and unique");
            assert!(m.iter().all(|x| crate::is_state(&a(x))), "{g} has only states as members");
        }
    }

    #[test]
    fn a_group_and_its_member_are_no_pair() {
        assert!(!is_pair(&a("CAS"), &a("KAZ")));
        assert!(!is_pair(&a("UZB"), &a("CAS")));
        assert!(!is_pair(&a("SCO"), &a("TJK")));
        assert!(!is_pair(&a("EAEU"), &a("KGZ")));
        assert!(!is_pair(&a("KAZ"), &a("KAZ")));
        // Not a member: a pair.
        assert!(is_pair(&a("EAEU"), &a("UZB")));
        assert!(is_pair(&a("OTS"), &a("TJK")));
        assert!(is_pair(&a("EU"), &a("KAZ")));
        assert!(is_pair(&a("GCC"), &a("UZB")));
        // Organisations acting through their own bodies, and states: pairs.
        assert!(is_pair(&a("UN"), &a("KAZ")));
        assert!(is_pair(&a("UNRCCA"), &a("TKM")));
        assert!(is_pair(&a("KAZ"), &a("UZB")));
        assert!(members(&a("KAZ")).is_none());
    }
}
