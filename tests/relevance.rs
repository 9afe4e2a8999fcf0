//! Analyst questions against the real catalogue: each names a record that must rank in the
//! top five. A failing question is fixed in the ranking, not by rewording it.

use assert_cmd::Command;

/// One analyst question: the query, its filters, and the record it must find.
struct Question {
    query: &'static str,
    filters: &'static [&'static str],
    expected: &'static str,
}

const QUESTIONS: &[Question] = &[
    Question {
        query: "cutting remittance costs price comparison",
        filters: &[],
        expected: "remittance-prices-worldwide",
    },
    Question {
        query: "ethical recruitment of health workers code",
        filters: &[],
        expected: "who-global-code-health-personnel-recruitment",
    },
    Question {
        query: "diaspora bonds",
        filters: &["--sector", "economic-growth"],
        expected: "israel-bonds",
    },
    Question {
        query: "seasonal farm work scheme",
        filters: &["--country", "CAN"],
        expected: "canada-mexico-sawp",
    },
    Question {
        query: "climate relocation of villages",
        filters: &[],
        expected: "fiji-planned-relocation-vunidogoloa",
    },
    Question {
        query: "hometown associations matching funds",
        filters: &[],
        expected: "mexico-3x1-programme",
    },
    Question {
        query: "nurses recruited to Germany",
        filters: &[],
        expected: "germany-triple-win-nurses",
    },
    Question {
        query: "wage protection salaries paid electronically",
        filters: &[],
        expected: "uae-wages-protection-system",
    },
    Question {
        query: "portability of social security pensions",
        filters: &["--region", "americas"],
        expected: "ibero-american-social-security-agreement",
    },
    Question {
        query: "pre-departure orientation",
        filters: &[],
        expected: "philippines-pdos",
    },
    Question {
        query: "trafficking victims residence permit",
        filters: &[],
        expected: "italy-article-18-residence-permit",
    },
    Question {
        query: "mobile money transfers Kenya",
        filters: &[],
        expected: "m-pesa-kenya",
    },
    Question {
        query: "diaspora knowledge transfer volunteers",
        filters: &[],
        expected: "tokten",
    },
    Question {
        query: "Scottish diaspora business network",
        filters: &[],
        expected: "globalscot",
    },
    Question {
        query: "disaster displacement protection agenda",
        filters: &[],
        expected: "nansen-initiative-platform-on-disaster-displacement",
    },
    Question {
        query: "return to agriculture Senegal",
        filters: &[],
        expected: "senegal-plan-reva",
    },
    Question {
        query: "refugees work permits Jordan",
        filters: &[],
        expected: "jordan-compact-work-permits",
    },
    Question {
        query: "health insurance for migrant workers",
        filters: &["--country", "THA"],
        expected: "thailand-migrant-health-insurance",
    },
    Question {
        query: "education of children of migrant workers",
        filters: &["--kind", "law"],
        expected: "eu-directive-education-migrant-children",
    },
    Question {
        query: "consular identity card",
        filters: &[],
        expected: "mexico-matricula-consular",
    },
    Question {
        query: "labour mobility Pacific training",
        filters: &["--sector", "tertiary-education-skills"],
        expected: "australia-pacific-training-coalition",
    },
    Question {
        query: "kafala exit permit minimum wage",
        filters: &[],
        expected: "qatar-kafala-labour-reforms",
    },
    Question {
        query: "migrants caught in crises",
        filters: &[],
        expected: "micic-initiative",
    },
    Question {
        query: "diaspora investment in farming Somalia",
        filters: &[],
        expected: "ifad-diaspora-investment-in-agriculture",
    },
    Question {
        query: "welfare fund for overseas workers",
        filters: &["--country", "LKA"],
        expected: "sri-lanka-slbfe-welfare-fund",
    },
    Question {
        query: "temporary movement of service suppliers WTO",
        filters: &[],
        expected: "gats-mode-4",
    },
    Question {
        query: "remittances for rural infrastructure Tajikistan",
        filters: &[],
        expected: "iom-undp-tajikistan-remittance-pilot",
    },
    Question {
        query: "migration with dignity Kiribati",
        filters: &[],
        expected: "kiribati-migration-with-dignity",
    },
];

fn top_five(index: &std::path::Path, question: &Question) -> Vec<String> {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    let output = Command::cargo_bin("migdev")
        .unwrap()
        .args(["--data", data, "--index"])
        .arg(index)
        .args([
            "-q",
            "search",
            question.query,
            "--limit",
            "5",
            "--format",
            "ids",
        ])
        .args(question.filters)
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_analyst_question_finds_its_record_in_the_top_five() {
    let index = tempfile::tempdir().unwrap();
    let mut misses = Vec::new();
    let mut first = 0;
    for question in QUESTIONS {
        let found = top_five(index.path(), question);
        if found.first().map(String::as_str) == Some(question.expected) {
            first += 1;
        }
        if !found.iter().any(|id| id == question.expected) {
            misses.push(format!(
                "{:?} {:?}: wanted {}, got {:?}",
                question.query, question.filters, question.expected, found
            ));
        }
    }
    assert!(QUESTIONS.len() >= 25);
    eprintln!(
        "relevance: top-1 {first}/{n}, top-5 {}/{n}",
        QUESTIONS.len() - misses.len(),
        n = QUESTIONS.len()
    );
    assert!(
        misses.is_empty(),
        "questions that missed the top five:\n{}",
        misses.join("\n")
    );
}
