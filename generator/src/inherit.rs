//! The one walk up an inheritance chain, shared by the model, inference and
//! lowering. Cycle-safe by construction: the walk ends before it would reach a
//! type it has already passed (the start included), so docs whose base types form
//! a cycle cannot make it loop, and no walk needs a depth bound of its own.

/// The ancestors of a type, nearest first, the type itself excluded: made by
/// [`ancestors`]. `T` names a type: a full name in inference, a
/// [`TypeId`](crate::model::TypeId) in the model.
pub(crate) struct Ancestors<T, F> {
    next: Option<T>,
    seen: Vec<T>,
    base_of: F,
    /// The type the walk would have reached a second time, if it ended on a cycle.
    repeated: Option<T>,
}

/// The ancestors of `start` by `base_of` (a type's base, if it has one).
pub(crate) fn ancestors<T: Copy + PartialEq, F: FnMut(T) -> Option<T>>(start: T, mut base_of: F) -> Ancestors<T, F> {
    Ancestors { next: base_of(start), seen: vec![start], base_of, repeated: None }
}

impl<T: Copy, F> Ancestors<T, F> {
    /// After the walk: the type it ended on because it had been passed already (a
    /// cycle through it), or `None` if the chain simply ended.
    pub(crate) fn repeated(&self) -> Option<T> {
        self.repeated
    }
}

impl<T: Copy + PartialEq, F: FnMut(T) -> Option<T>> Iterator for Ancestors<T, F> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let cur = self.next.take()?;
        // A chain is a handful of types: a linear search beats hashing here.
        if self.seen.contains(&cur) {
            self.repeated = Some(cur);
            return None;
        }
        self.seen.push(cur);
        self.next = (self.base_of)(cur);
        Some(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl FnMut(&'a str) -> Option<&'a str> {
        move |t| pairs.iter().find(|(c, _)| *c == t).map(|(_, b)| *b)
    }

    #[test]
    fn walks_a_chain_nearest_first() {
        let pairs = [("c", "b"), ("b", "a")];
        let mut it = ancestors("c", base(&pairs));
        assert_eq!(it.by_ref().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(it.repeated(), None);
        assert_eq!(ancestors("a", base(&pairs)).count(), 0);
    }

    #[test]
    fn a_cycle_ends_the_walk_and_names_where_it_closes() {
        // c -> b -> a -> b: b would come twice.
        let pairs = [("c", "b"), ("b", "a"), ("a", "b")];
        let mut it = ancestors("c", base(&pairs));
        assert_eq!(it.by_ref().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(it.repeated(), Some("b"));
        // A type that is its own base has no ancestors.
        let own = [("x", "x")];
        let mut it = ancestors("x", base(&own));
        assert_eq!(it.next(), None);
        assert_eq!(it.repeated(), Some("x"));
    }
}
