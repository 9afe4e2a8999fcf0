//! Small text helpers shared by validation, lookups and output.

/// Lower-cases and strips accents so that `Côte d'Ivoire` and `cote d'ivoire` compare equal.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        for lower in ch.to_lowercase() {
            folded.push_str(strip_accent(lower));
        }
    }
    folded
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = fold(input);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&input, &fold(c)), c))
        .filter(|(distance, c)| *distance <= (c.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn strip_accent(ch: char) -> &'static str {
    // Latin-1 and Latin Extended-A letters seen in programme and country names.
    match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' | 'ş' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ß' => "ss",
        '’' | '‘' => "'",
        _ => leak_char(ch),
    }
}

fn leak_char(ch: char) -> &'static str {
    // Characters without an accent map to themselves; a tiny cache keeps them 'static.
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<char, &'static str>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    cache
        .entry(ch)
        .or_insert_with(|| Box::leak(ch.to_string().into_boxed_str()))
}

/// `1 record`, `2 records`: a count with its noun in the right number.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
