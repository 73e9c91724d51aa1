//! Lexicon files compiled to matchers.
