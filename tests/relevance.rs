//! Analyst questions against the real catalogue: each names a record that must rank in the
//! top five. Two sets: keywords as analysts type them, and questions as they think them
//! (function words, everyday vocabulary, never copied from the record's text). A failing
//! question is fixed in the engine (stop words, stemming, synonyms, ranking), never by
//! rewording it or editing the record.

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

/// Questions in analysts' own words: each names the record it is after.
const QUESTIONS_IN_WORDS: &[(&str, &str)] = &[
    ("health workers leaving ghana", "mida-ghana-health"),
    (
        "which database tracks what banks charge to send money abroad",
        "remittance-prices-worldwide",
    ),
    (
        "how did ethiopia raise money from its diaspora to build a dam",
        "ethiopia-diaspora-bonds",
    ),
    (
        "nigerian government borrowing from citizens living abroad",
        "nigeria-diaspora-bond",
    ),
    (
        "what protects the wages of foreign workers in the emirates",
        "uae-wages-protection-system",
    ),
    (
        "can refugees in jordan get a job legally",
        "jordan-compact-work-permits",
    ),
    (
        "how are villages moved away from rising seas in fiji",
        "fiji-planned-relocation-vunidogoloa",
    ),
    (
        "what did mexico do to match money migrants send to their hometowns",
        "mexico-3x1-programme",
    ),
    (
        "germany recruiting nurses from abroad fairly",
        "germany-triple-win-nurses",
    ),
    (
        "is there a global code on hiring doctors and nurses from poor countries",
        "who-global-code-health-personnel-recruitment",
    ),
    ("how does kenya use phones to send money", "m-pesa-kenya"),
    (
        "which scheme lets pacific islanders pick fruit in new zealand",
        "new-zealand-rse",
    ),
    (
        "mexican farm workers going to canada each season",
        "canada-mexico-sawp",
    ),
    (
        "moroccan women picking strawberries in spain",
        "huelva-morocco-seasonal-recruitment",
    ),
    (
        "training filipinos before they go to work overseas",
        "philippines-pdos",
    ),
    (
        "help for filipino workers who come home",
        "philippines-national-reintegration-program",
    ),
    (
        "social security rights for workers moving between caribbean countries",
        "caricom-social-security-agreement",
    ),
    (
        "pensions for people who worked in several latin american countries",
        "ibero-american-social-security-agreement",
    ),
    (
        "how does the eu coordinate social security when people move between member states",
        "eu-social-security-coordination-883-2004",
    ),
    (
        "residence permits for trafficking victims in italy",
        "italy-article-18-residence-permit",
    ),
    (
        "which nigerian agency fights human trafficking",
        "nigeria-naptip",
    ),
    (
        "what happens to migrants when war breaks out in the country where they work",
        "micic-initiative",
    ),
    (
        "protecting people displaced by disasters across borders",
        "nansen-initiative-platform-on-disaster-displacement",
    ),
    (
        "bangladesh plan for people displaced by cyclones and floods inside the country",
        "bangladesh-nsmdciid-climate-displacement-strategy",
    ),
    (
        "kiribati helping its people migrate because of climate change",
        "kiribati-migration-with-dignity",
    ),
    (
        "network of argentine scientists working abroad",
        "raices-argentina",
    ),
    (
        "scottish business people abroad helping scotland",
        "globalscot",
    ),
    (
        "south african skilled professionals abroad network",
        "sansa-south-african-network-skills-abroad",
    ),
    (
        "un programme sending expatriate experts back home for short consultancies",
        "tokten",
    ),
    (
        "somali doctors in finland volunteering back home",
        "mida-finnsom-health",
    ),
    (
        "can undocumented migrants in thailand buy health insurance",
        "thailand-migrant-health-insurance",
    ),
    (
        "health services for mexicans at consulates in the united states",
        "mexico-ventanillas-de-salud",
    ),
    (
        "id cards for mexicans without papers in the us",
        "mexico-matricula-consular",
    ),
    (
        "scholarships for children of overseas filipino workers",
        "owwa-scholarships-ofw-dependants",
    ),
    (
        "schooling for children of migrant workers in europe",
        "eu-directive-education-migrant-children",
    ),
    (
        "teaching arabic to children of moroccan emigrants",
        "morocco-elco-arabic-culture-teaching",
    ),
    (
        "qatar ending exit permits for foreign workers",
        "qatar-kafala-labour-reforms",
    ),
    (
        "korea hiring low-skilled foreign workers through a government system",
        "korea-employment-permit-system",
    ),
    (
        "migrant money for agriculture in the philippines",
        "atikha-migrant-resources-agriculture-philippines",
    ),
    ("senegalese returning to work the land", "senegal-plan-reva"),
    (
        "ecuador helping migrants come home and start a business",
        "ecuador-el-cucayo-fund",
    ),
    (
        "moldova doubling the money that migrants invest in businesses",
        "moldova-pare-1-1",
    ),
    (
        "selling home country food products to emigrants in the us",
        "el-salvador-nostalgic-trade",
    ),
    (
        "trade rules on temporary movement of service providers",
        "gats-mode-4",
    ),
    (
        "japan bringing in nurses and caregivers from indonesia",
        "indonesia-japan-epa-nurses-caregivers",
    ),
    (
        "retirement savings for seasonal workers from samoa",
        "pacific-seasonal-workers-pension-savings",
    ),
    (
        "financial education for families receiving money from migrants in nepal",
        "iom-nepal-financial-literacy",
    ),
    (
        "paying school fees directly from abroad in the philippines",
        "philippines-edupay-philsmile",
    ),
    ("what is the abu dhabi dialogue", "abu-dhabi-dialogue"),
    ("information centre for migrants in mali", "mali-cigem"),
    (
        "rebuilding homes after the nepal earthquake with diaspora money",
        "nepal-nrna-laprak-settlement",
    ),
    (
        "malawi emergency plan to keep nurses and doctors",
        "malawi-emergency-human-resources-programme",
    ),
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

#[test]
fn natural_language_questions_find_their_record_in_the_top_five_and_never_nothing() {
    let index = tempfile::tempdir().unwrap();
    let mut misses = Vec::new();
    let mut empty = Vec::new();
    for &(query, expected) in QUESTIONS_IN_WORDS {
        let question = Question {
            query,
            filters: &[],
            expected,
        };
        let found = top_five(index.path(), &question);
        if found.is_empty() {
            empty.push(query);
        }
        if !found.iter().any(|id| id == expected) {
            misses.push(format!("{query:?}: wanted {expected}, got {found:?}"));
        }
    }
    let n = QUESTIONS_IN_WORDS.len();
    assert!(n >= 40);
    let found = n - misses.len();
    eprintln!("natural-language relevance: top-5 {found}/{n}");
    assert!(empty.is_empty(), "questions that found nothing: {empty:?}");
    assert!(
        found * 10 >= n * 9,
        "only {found} of {n} questions found their record in the top five:\n{}",
        misses.join("\n")
    );
}
