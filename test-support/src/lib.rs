//! Assertions the generated clients' hand-written HTTP tests share.
