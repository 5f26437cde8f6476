//! The mutator: turns a well-formed file into a broken one the way a careless or malicious
//! user would, knowing RON's shape (lines, tokens, numbers, brackets and strings).

use std::ops::Range;

/// Numbers at the edges where arithmetic and conversions break.
const EDGE_NUMBERS: &[&str] = &[
    "0",
    "-0.0",
    "-1",
    "-1.0",
    "1e308",
    "-1e308",
    "1e-320",
    "NaN",
    "inf",
    "-inf",
    "255",
    "256",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "0.49",
    "2.01",
    "0.1",
    "1e9",
];

/// Largest input made: past this every loader refuses on size alone.
const MAX_INPUT: usize = 4 << 20;

pub struct Mutator {
    seeds: Vec<Vec<u8>>,
    /// Identifiers and punctuation found in the seeds, to insert and swap in.
    dictionary: Vec<Vec<u8>>,
}

impl Mutator {
    pub fn new(seeds: &[Vec<u8>]) -> Self {
        let mut dictionary: Vec<Vec<u8>> = seeds
            .iter()
            .flat_map(|seed| tokens(seed).into_iter().map(move |r| seed[r].to_vec()))
            .filter(|t| t.len() <= 40)
            .collect();
        dictionary.extend(
            [
                "(", ")", "[", "]", "{", "}", ",", ":", "\"", "Some(", "None", "//", "/*", "*/",
            ]
            .iter()
            .map(|t| t.as_bytes().to_vec()),
        );
        dictionary.sort();
        dictionary.dedup();
        let seeds = if seeds.is_empty() {
            vec![b"()".to_vec()]
        } else {
            seeds.to_vec()
        };
        Self { seeds, dictionary }
    }

    /// Input `index` of the run seeded `seed`: a seed with one to four mutations stacked.
    pub fn input(&self, seed: u64, index: u64) -> Vec<u8> {
        let mut rng = fastrand::Rng::with_seed(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut data = self.seeds[rng.usize(..self.seeds.len())].clone();
        for _ in 0..rng.usize(1..=4) {
            self.mutate_once(&mut rng, &mut data);
        }
        data.truncate(MAX_INPUT);
        data
    }

    fn mutate_once(&self, rng: &mut fastrand::Rng, data: &mut Vec<u8>) {
        let at = |rng: &mut fastrand::Rng, data: &Vec<u8>| rng.usize(..=data.len());
        match rng.u8(..12) {
            0 if !data.is_empty() => {
                let i = rng.usize(..data.len());
                data[i] ^= 1 << rng.u8(..8);
            }
            1 => data.truncate(at(rng, data)),
            2 | 3 => {
                let lines = line_ranges(data);
                if let Some(line) = pick(rng, &lines) {
                    if rng.bool() {
                        let copy = data[line.clone()].to_vec();
                        splice(data, line.end..line.end, &copy);
                    } else {
                        splice(data, line, &[]);
                    }
                }
            }
            4 => {
                let tokens = tokens(data);
                if tokens.len() >= 2 {
                    let (a, b) = (pick(rng, &tokens).unwrap(), pick(rng, &tokens).unwrap());
                    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
                    if first.end <= second.start {
                        let (x, y) = (data[first.clone()].to_vec(), data[second.clone()].to_vec());
                        splice(data, second, &x);
                        splice(data, first, &y);
                    }
                }
            }
            5 => {
                let numbers: Vec<Range<usize>> = tokens(data)
                    .into_iter()
                    .filter(|r| data[r.start].is_ascii_digit() || data[r.start] == b'-')
                    .collect();
                let number = EDGE_NUMBERS[rng.usize(..EDGE_NUMBERS.len())].as_bytes();
                match pick(rng, &numbers) {
                    Some(range) => splice(data, range, number),
                    None => {
                        let i = at(rng, data);
                        splice(data, i..i, number);
                    }
                }
            }
            // Huge inputs are slow to parse: rare, so a run still makes a million inputs.
            6 => {
                let depth = [8, 20, 130, 130, 1_000, 10_000, 100_000]
                    [rng.usize(..7).min(if rng.u8(..20) == 0 { 6 } else { 3 })];
                let open = [b'(', b'['][rng.usize(..2)];
                let i = at(rng, data);
                splice(data, i..i, &vec![open; depth]);
            }
            7 => {
                let length = if rng.u8(..50) == 0 {
                    [70_000, 1_000_000][rng.usize(..2)]
                } else {
                    [1, 300, 5_000][rng.usize(..3)]
                };
                let i = at(rng, data);
                let mut text = vec![b'"'];
                text.extend(std::iter::repeat_n(b'a' + rng.u8(..26), length));
                text.push(b'"');
                splice(data, i..i, &text[usize::from(rng.bool())..]);
            }
            8 => {
                let i = at(rng, data);
                let bytes: Vec<u8> = (0..rng.usize(1..4)).map(|_| rng.u8(0x80..)).collect();
                splice(data, i..i, &bytes);
            }
            9 | 10 => {
                let token = &self.dictionary[rng.usize(..self.dictionary.len())];
                let tokens = tokens(data);
                match pick(rng, &tokens).filter(|_| rng.bool()) {
                    Some(range) => splice(data, range, token),
                    None => {
                        let i = at(rng, data);
                        splice(data, i..i, token);
                    }
                }
            }
            _ => {
                let other = &self.seeds[rng.usize(..self.seeds.len())];
                let lines = line_ranges(other);
                if let Some(line) = pick(rng, &lines) {
                    let chunk = other[line].to_vec();
                    let i = at(rng, data);
                    splice(data, i..i, &chunk);
                }
            }
        }
    }
}

fn pick(rng: &mut fastrand::Rng, ranges: &[Range<usize>]) -> Option<Range<usize>> {
    (!ranges.is_empty()).then(|| ranges[rng.usize(..ranges.len())].clone())
}

fn splice(data: &mut Vec<u8>, range: Range<usize>, with: &[u8]) {
    data.splice(range, with.iter().copied());
}

/// Each line, with its newline.
fn line_ranges(data: &[u8]) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in data.iter().enumerate() {
        if *b == b'\n' {
            lines.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < data.len() {
        lines.push(start..data.len());
    }
    lines
}

/// Runs of identifier and number characters, and single punctuation marks.
fn tokens(data: &[u8]) -> Vec<Range<usize>> {
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+');
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < data.len() {
        if word(data[i]) {
            let start = i;
            while i < data.len() && word(data[i]) {
                i += 1;
            }
            tokens.push(start..i);
        } else {
            if !data[i].is_ascii_whitespace() {
                tokens.push(i..i + 1);
            }
            i += 1;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_index_make_the_same_input() {
        let mutator = Mutator::new(&[b"(a: 1, b: [2, 3])\n(c: \"x\")\n".to_vec()]);
        for index in 0..200 {
            assert_eq!(mutator.input(7, index), mutator.input(7, index));
        }
        let distinct: std::collections::HashSet<Vec<u8>> =
            (0..200).map(|i| mutator.input(7, i)).collect();
        assert!(
            distinct.len() > 150,
            "only {} distinct inputs",
            distinct.len()
        );
    }
}
