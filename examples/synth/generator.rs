//! The synthetic record generator: `examples/synth.rs` writes catalogues of its records
//! for benchmarks, and the test crate includes this file (`#[path]`) for the synthetic
//! catalogues of its reliability tests, so there is one generator.
//!
//! Record `n` is drawn from its own PRNG stream under a seed, so a record depends only on
//! the seed and its number. Every [`MARK_EVERY`]-th record has the keyword [`MARKER`], a
//! word no other text uses: a query whose answer is known.

use anyhow::bail;
use migdev::record::{Kind, Scope, Source, SourceKind, Status};
use migdev::{Record, countries};

/// The seed `synth` uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 20_100_601;
/// Records are numbered from 1; ids are `synth-` and the number in six digits (or more).
pub const ID_PREFIX: &str = "synth-";
const PUBLISHER: &str = "migdev synthetic benchmark data";
/// Years are drawn from this span; fixed (not "this year") so the output never changes.
const FIRST_YEAR: i64 = 1970;
const LAST_YEAR: i64 = 2024;
/// The keyword of every [`MARK_EVERY`]-th record, a word no other text uses.
pub const MARKER: &str = "kestrel";
/// See [`MARKER`].
pub const MARK_EVERY: u64 = 50;

/// The id of record `n`.
pub fn id(n: u64) -> String {
    format!("{ID_PREFIX}{n:06}")
}

/// A country as the texts use it.
struct Place {
    code: &'static str,
    name: String,
}

/// Resolves the fixed country list through the library, so every code is one it accepts.
fn places() -> anyhow::Result<Vec<Place>> {
    COUNTRIES
        .iter()
        .map(|&code| match countries::by_code(code) {
            Some(country) => Ok(Place {
                code,
                name: country.name.clone(),
            }),
            None => bail!("the built-in country list has `{code}`, which migdev does not know"),
        })
        .collect()
}

/// SplitMix64: small, fast and good enough to pick words.
struct Rng(u64);

impl Rng {
    /// The stream of record `n` under `seed`.
    fn for_record(seed: u64, n: u64) -> Rng {
        let mut mix = Rng(seed ^ n.wrapping_mul(0xA076_1D64_78BD_642F));
        mix.next();
        Rng(mix.next())
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).expect("a length fits in u64");
        usize::try_from(self.next() % n).expect("below a usize length")
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn year(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).expect("hi is not below lo");
        lo + i64::try_from(self.next() % span).expect("below a span of years")
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// `lo..=hi` distinct items of `items`.
    fn subset<T: Copy>(&mut self, items: &[T], lo: u64, hi: u64) -> Vec<T> {
        self.distinct(lo, hi, items.len())
            .into_iter()
            .map(|i| items[i])
            .collect()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `lo..=hi` distinct indexes into a list of `len` items, in drawing order.
    fn distinct(&mut self, lo: u64, hi: u64, len: usize) -> Vec<usize> {
        let count = usize::try_from(self.range(lo, hi)).map_or(len, |n| n.min(len));
        let mut chosen = Vec::with_capacity(count);
        while chosen.len() < count {
            let i = self.below(len);
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen
    }
}

/// Draws records from the vocabulary below, with real sector slugs and country codes.
pub struct Generator {
    seed: u64,
    slugs: Vec<String>,
    places: Vec<Place>,
}

/// A start year for most records, an end year for some, and a status that agrees with them.
fn years_and_status(rng: &mut Rng) -> (Option<i64>, Option<i64>, Option<Status>) {
    let start_year = rng.chance(80).then(|| rng.year(FIRST_YEAR, LAST_YEAR));
    let end_year = match start_year {
        Some(start) if rng.chance(40) => Some(rng.year(start, LAST_YEAR)),
        None if rng.chance(10) => Some(rng.year(FIRST_YEAR, LAST_YEAR)),
        _ => None,
    };
    let status = match (end_year, rng.range(0, 9)) {
        (Some(_), 0) => None,
        (Some(_), _) => Some(Status::Ended),
        (None, 0..=5) => Some(Status::Ongoing),
        (None, 6..=7) => Some(Status::Unknown),
        (None, _) => None,
    };
    (start_year, end_year, status)
}

impl Generator {
    /// A generator under `seed` drawing sectors from `slugs`.
    pub fn new(seed: u64, slugs: Vec<String>) -> anyhow::Result<Generator> {
        Ok(Generator {
            seed,
            slugs,
            places: places()?,
        })
    }

    /// Record `n`: valid, about 2 KB of TOML, its title unique to `n`.
    pub fn record(&self, n: u64) -> Record {
        let rng = &mut Rng::for_record(self.seed, n);
        let sectors: Vec<String> = rng
            .distinct(1, 3, self.slugs.len())
            .into_iter()
            .map(|i| self.slugs[i].clone())
            .collect();
        let places: Vec<&Place> = rng
            .distinct(1, 3, self.places.len())
            .into_iter()
            .map(|i| &self.places[i])
            .collect();
        let scope = match (places.len(), rng.range(0, 9)) {
            (_, 0) => None,
            (_, 1) => Some(Scope::Global),
            (1, _) => Some(Scope::National),
            (2, _) => Some(Scope::Bilateral),
            _ => Some(Scope::Regional),
        };
        let (start_year, end_year, status) = years_and_status(rng);
        let organisations: Vec<String> = rng
            .distinct(1, 3, ORGANISATIONS.len())
            .into_iter()
            .map(|i| ORGANISATIONS[i].to_string())
            .collect();
        let mut keywords: Vec<String> = rng
            .distinct(3, 6, KEYWORDS.len())
            .into_iter()
            .map(|i| KEYWORDS[i].to_string())
            .collect();
        if n.is_multiple_of(MARK_EVERY) {
            keywords.push(MARKER.to_string());
        }
        let mut gcm_objectives: Vec<i64> = rng
            .distinct(0, 2, 23)
            .into_iter()
            .map(|i| i64::try_from(i).expect("a handful of items") + 1)
            .collect();
        gcm_objectives.sort_unstable();

        let what = *rng.pick(PROGRAMME_TYPES);
        let title = format!(
            "{} {} {} for {} (synth {n})",
            rng.pick(TITLE_PREFIXES),
            rng.pick(THEMES),
            what,
            places[0].name
        );
        // Like a real record, each one is about a few topics: its sentences draw from a
        // small share of the vocabulary, so a word matches a realistic share of records.
        let objects = rng.subset(OBJECTS, 3, 5);
        let clauses = rng.subset(CLAUSES, 2, 4);
        let groups = rng.subset(GROUPS, 2, 3);
        let outcomes = rng.subset(OUTCOMES, 1, 2);
        let lesson_points = rng.subset(LESSON_POINTS, 2, 4);
        let mut text = Text {
            rng,
            places: &places,
            organisations: &organisations,
            objects: &objects,
            clauses: &clauses,
            groups: &groups,
            outcomes: &outcomes,
            lesson_points: &lesson_points,
        };
        let summary = text.summary(what);
        let description = text.paragraph(DESCRIPTION, 450, 650);
        let results = text.paragraph(RESULTS, 220, 360);
        let lessons = text.paragraph(LESSONS, 220, 360);

        Record {
            title,
            kind: *rng.pick(Kind::ALL),
            sectors,
            countries: places.iter().map(|p| p.code.to_string()).collect(),
            // With two or more places, the first is the origin and the last the destination.
            origin: match places.len() {
                0 | 1 => vec![],
                _ => vec![places[0].code.to_string()],
            },
            destination: match places.len() {
                0 | 1 => vec![],
                n => vec![places[n - 1].code.to_string()],
            },
            scope,
            organisations,
            start_year,
            end_year,
            status,
            summary,
            description: Some(description),
            results: Some(results),
            lessons: Some(lessons),
            keywords,
            gcm_objectives,
            sources: vec![Source {
                title: format!("Synthetic record {n}, seed {}", self.seed),
                publisher: PUBLISHER.to_string(),
                year: None,
                kind: SourceKind::Data,
                url: None,
                via: None,
            }],
        }
    }
}

/// Sentence templates: `{subject}`, `{verb}`, `{object}`, `{place}`, `{clause}`, `{org}`,
/// `{year}`, `{number}`, `{group}`, `{outcome}`, `{outcome_past}`, `{opener}`, `{lesson}`, `{two_lessons}` are
/// filled in.
const DESCRIPTION: &[&str] = &[
    "{subject} {verb} {object} {place} {clause}.",
    "{subject} {verb} {object} and {object} {place}.",
    "Working with {org}, {subject_lower} {verb} {object} {clause}.",
    "Since {year}, {subject_lower} {verb} {object} {place}.",
    "{org} {verb} {object} {place}, {clause}.",
];
const RESULTS: &[&str] = &[
    "By {year}, {number} {group} had {outcome} {place}.",
    "An evaluation in {year} found that {number} {group} had {outcome} {place}.",
    "{org} reported that {number} {group} had {outcome} by {year}.",
    "Monitoring data show {number} {group} who {outcome_past} {place}.",
];
const LESSONS: &[&str] = &[
    "{opener} {lesson}.",
    "{opener} {two_lessons}.",
    "{opener} {lesson} {place}.",
];

/// Fills templates with words drawn from the vocabulary.
struct Text<'a> {
    rng: &'a mut Rng,
    places: &'a [&'a Place],
    organisations: &'a [String],
    objects: &'a [&'static str],
    clauses: &'a [&'static str],
    groups: &'a [&'static str],
    outcomes: &'a [(&'static str, &'static str)],
    lesson_points: &'a [&'static str],
}

impl Text<'_> {
    fn summary(&mut self, what: &str) -> String {
        let opener = capitalise(self.rng.pick::<&str>(SUMMARY_OPENERS));
        let verb = self.rng.pick(VERBS);
        let object = self.rng.pick(self.objects);
        let place = self.place();
        let mut summary = format!(
            "{opener} {} that {verb} {object} {place}.",
            what.to_lowercase()
        );
        if self.rng.chance(70) {
            summary.push(' ');
            let template = *self.rng.pick(DESCRIPTION);
            let sentence = self.sentence(template);
            summary.push_str(&sentence);
        }
        summary
    }

    /// Sentences from `templates` until the text is between `min` and about `max` bytes.
    fn paragraph(&mut self, templates: &[&str], min: u64, max: u64) -> String {
        let target =
            usize::try_from(self.rng.range(min, max)).expect("a text length fits in usize");
        let mut text = String::with_capacity(target + 200);
        while text.len() < target {
            if !text.is_empty() {
                text.push(' ');
            }
            let template = *self.rng.pick(templates);
            let sentence = self.sentence(template);
            text.push_str(&sentence);
        }
        text
    }

    fn sentence(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() * 3);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open
                + rest[open..]
                    .find('}')
                    .expect("templates close their braces");
            let slot = &rest[open + 1..close];
            let word = self.fill(slot);
            out.push_str(&word);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        capitalise(&out)
    }

    fn fill(&mut self, slot: &str) -> String {
        let rng = &mut *self.rng;
        match slot {
            "subject" => rng.pick(SUBJECTS).to_string(),
            "subject_lower" => rng.pick(SUBJECTS).to_lowercase(),
            "verb" => rng.pick(VERBS).to_string(),
            "object" => rng.pick(self.objects).to_string(),
            "clause" => rng.pick(self.clauses).to_string(),
            "org" => rng.pick(self.organisations).clone(),
            "year" => rng.year(FIRST_YEAR, LAST_YEAR).to_string(),
            "number" => with_thousands(rng.range(12, 250_000)),
            "group" => rng.pick(self.groups).to_string(),
            "outcome" => rng.pick(self.outcomes).0.to_string(),
            "outcome_past" => rng.pick(self.outcomes).1.to_string(),
            "opener" => rng.pick(LESSON_OPENERS).to_string(),
            "lesson" => rng.pick(self.lesson_points).to_string(),
            "two_lessons" => {
                let two = rng.subset(self.lesson_points, 2, 2);
                format!("{}, and {}", two[0], two[1])
            }
            "place" => self.place(),
            other => panic!("unknown template slot `{other}`"),
        }
    }

    fn place(&mut self) -> String {
        let first = &self.rng.pick(self.places).name;
        let second = &self.rng.pick(self.places).name;
        match self.rng.range(0, 4) {
            0 => format!("in {first}"),
            1 => format!("in rural districts of {first}"),
            2 if first != second => format!("along the {first}-{second} corridor"),
            3 if first != second => format!("across {first} and {second}"),
            _ => format!("in {first} and abroad"),
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `12345` -> `12,345`.
fn with_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Real ISO 3166-1 alpha-3 codes of countries of origin, transit and destination.
const COUNTRIES: &[&str] = &[
    "MEX", "GTM", "SLV", "HND", "NIC", "COL", "ECU", "PER", "BOL", "BRA", "DOM", "HTI", "JAM",
    "USA", "CAN", "ESP", "ITA", "FRA", "DEU", "NLD", "BEL", "GBR", "IRL", "PRT", "POL", "ROU",
    "MDA", "UKR", "ARM", "GEO", "TUR", "MAR", "DZA", "TUN", "EGY", "SEN", "MLI", "GHA", "NGA",
    "CIV", "BFA", "ETH", "KEN", "UGA", "SOM", "ZAF", "ZWE", "MOZ", "SAU", "ARE", "QAT", "KWT",
    "JOR", "LBN", "IND", "PAK", "BGD", "NPL", "LKA", "PHL", "IDN", "VNM", "KHM", "MMR", "THA",
    "MYS", "KGZ", "TJK", "UZB", "AUS", "NZL", "FJI", "TON", "WSM",
];

const ORGANISATIONS: &[&str] = &[
    "International Organization for Migration (IOM)",
    "International Labour Organization (ILO)",
    "World Bank",
    "International Fund for Agricultural Development (IFAD)",
    "United Nations Development Programme (UNDP)",
    "UNICEF",
    "UN Women",
    "World Health Organization (WHO)",
    "European Commission",
    "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)",
    "Swiss Agency for Development and Cooperation (SDC)",
    "USAID",
    "Asian Development Bank",
    "African Development Bank",
    "Inter-American Development Bank",
    "Ministry of Labour",
    "Ministry of Foreign Affairs",
    "Ministry of Overseas Employment",
    "Central Bank",
    "National Diaspora Council",
    "Chamber of Commerce and Industry",
    "Federation of Hometown Associations",
    "Migrant Workers Welfare Fund",
    "National Employment Agency",
    "Postal Savings Bank",
    "Rural Credit Cooperative Union",
    "Migrant Resource Centre",
    "Diaspora Business Network",
];

const KEYWORDS: &[&str] = &[
    "remittances",
    "diaspora investment",
    "skills training",
    "circular migration",
    "return migration",
    "seasonal work",
    "financial inclusion",
    "transfer costs",
    "hometown associations",
    "matching grants",
    "ethical recruitment",
    "social security",
    "pre-departure orientation",
    "brain gain",
    "skills recognition",
    "diaspora bonds",
    "labour mobility",
    "climate displacement",
    "planned relocation",
    "reintegration",
    "financial literacy",
    "migrant rights",
    "health workers",
    "rural development",
];

const TITLE_PREFIXES: &[&str] = &[
    "National",
    "Regional",
    "Joint",
    "Community",
    "Pilot",
    "Integrated",
    "Bilateral",
    "Municipal",
    "Global",
    "Coastal",
];

const THEMES: &[&str] = &[
    "Diaspora Investment",
    "Remittance Matching",
    "Seasonal Worker",
    "Skills Partnership",
    "Return and Reintegration",
    "Migrant Welfare",
    "Labour Mobility",
    "Financial Inclusion",
    "Hometown Development",
    "Ethical Recruitment",
    "Climate Mobility",
    "Health Worker Circulation",
    "Diaspora Knowledge Transfer",
    "Migrant Education",
];

const PROGRAMME_TYPES: &[&str] = &[
    "Programme",
    "Fund",
    "Facility",
    "Initiative",
    "Scheme",
    "Partnership",
    "Network",
    "Platform",
    "Agreement",
    "Strategy",
];

const SUMMARY_OPENERS: &[&str] = &[
    "a government",
    "a donor-funded",
    "a community-led",
    "a multi-agency",
    "a pilot",
    "a long-running",
    "a diaspora-led",
    "a regional",
];

const SUBJECTS: &[&str] = &[
    "The programme",
    "The scheme",
    "The initiative",
    "Its implementing agency",
    "A consortium of partner organisations",
    "The local authority",
    "A federation of hometown associations",
    "The labour ministry",
    "A network of migrant resource centres",
    "Each participating bank",
    "A team of diaspora volunteers",
    "The municipal government",
];

const VERBS: &[&str] = &[
    "supports",
    "co-finances",
    "channels",
    "trains",
    "matches",
    "connects",
    "registers",
    "monitors",
    "protects",
    "mobilises",
    "funds",
    "advises",
    "promotes",
    "coordinates",
];

const OBJECTS: &[&str] = &[
    "remittances",
    "diaspora investment",
    "skills training",
    "returning migrants",
    "seasonal workers",
    "migrant households",
    "small and medium enterprises",
    "recruitment agencies",
    "hometown associations",
    "financial literacy courses",
    "pre-departure orientation",
    "social security coverage",
    "health workers",
    "school enrolment of migrants' children",
    "rural infrastructure",
    "climate adaptation in sending areas",
    "labour market information",
    "diaspora professionals",
    "savings and credit groups",
    "vocational certificates",
    "community water projects",
    "women migrant domestic workers",
    "remittance transfers to rural areas",
    "diaspora philanthropy",
    "migrant entrepreneurs",
    "collective remittances for public works",
    "temporary labour migration",
    "circular migration of farm workers",
    "the recognition of foreign qualifications",
    "consular services for nationals abroad",
    "reintegration grants",
    "language and vocational courses",
    "complaints against abusive employers",
    "disaster-displaced families",
    "planned relocation of coastal villages",
    "microfinance for returnees",
    "housing loans for migrants",
    "agricultural cooperatives",
    "youth employment services",
    "diaspora bonds",
    "scholarships for migrants' children",
    "telemedicine for remote clinics",
];

const CLAUSES: &[&str] = &[
    "with matching grants from the national government",
    "through a network of local partners",
    "to lower the cost of sending money home",
    "while strengthening institutional capacity",
    "under a memorandum of understanding between the two governments",
    "with technical assistance from international agencies",
    "so that remittances reach productive investment",
    "to reduce irregular migration",
    "through mobile money and agent networks",
    "with a focus on women and young people",
    "in line with the Global Compact for Migration",
    "by recognising skills acquired abroad",
    "with funding pooled from the diaspora",
    "through one-stop migrant service centres",
    "with support from the central bank",
    "by sharing data across agencies",
    "through an online registration platform",
    "with co-financing from municipalities",
];

const GROUPS: &[&str] = &[
    "migrant workers",
    "households",
    "returnees",
    "diaspora investors",
    "small businesses",
    "trainees",
    "seasonal workers",
    "nurses and midwives",
    "students",
    "recruitment agencies",
    "community projects",
    "families of migrants",
];

/// (past participle, simple past) of an outcome.
const OUTCOMES: &[(&str, &str)] = &[
    ("completed skills training", "completed skills training"),
    (
        "received remittances through formal channels",
        "received remittances through formal channels",
    ),
    ("opened savings accounts", "opened savings accounts"),
    ("found jobs after return", "found jobs after return"),
    (
        "joined social security schemes",
        "joined social security schemes",
    ),
    (
        "invested in local enterprises",
        "invested in local enterprises",
    ),
    (
        "obtained recognised certificates",
        "obtained recognised certificates",
    ),
    (
        "taken part in pre-departure orientation",
        "took part in pre-departure orientation",
    ),
    (
        "benefited from lower transfer costs",
        "benefited from lower transfer costs",
    ),
    (
        "co-financed infrastructure projects",
        "co-financed infrastructure projects",
    ),
];

const LESSON_OPENERS: &[&str] = &[
    "Evaluators noted that",
    "Partners learnt that",
    "A recurring criticism was that",
    "Reviews found that",
    "Participants reported that",
    "Officials acknowledged that",
    "Independent studies suggest that",
];

const LESSON_POINTS: &[&str] = &[
    "coordination between ministries was weak",
    "transfer costs fell only where competition among providers increased",
    "diaspora investment needs a stable regulatory framework",
    "skills training works best when employers shape the curriculum",
    "returning migrants need support long after arrival",
    "small grants reached villages that public budgets missed",
    "recruitment fees remained high despite new rules",
    "women migrants were under-represented among participants",
    "data on outcomes were collected too late to guide the design",
    "hometown associations gained influence over local planning",
    "the scheme depended heavily on donor funding",
    "financial literacy courses changed saving habits only slowly",
    "portable social security benefits were hard to claim from abroad",
    "local governments lacked staff to manage the projects",
    "the benefits reached better-off households first",
    "take-up rose once procedures were simplified",
    "returnees valued advice more than cash grants",
    "employers in destination countries were slow to engage",
    "the pilot was too small to change national policy",
    "trust in formal channels grew after information campaigns",
];
