//! `Patch<T>`: one field of an update — left alone, set to a value, or cleared.

/// One field of an update. `Unchanged` is the default, so patch structs build with `..Default::default()`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// The field is not part of the update.
    #[default]
    Unchanged,
    /// The field is set to this value.
    Set(T),
    /// The field is cleared (`null` on the wire). Refused for fields that cannot be null.
    Clear,
}

impl<T> Patch<T> {
    /// Whether the field is part of the update.
    pub fn is_present(&self) -> bool {
        !matches!(self, Patch::Unchanged)
    }

    /// `Set(v)` for `Some(v)`, `Clear` for `None`.
    pub fn from_option(value: Option<T>) -> Self {
        match value {
            Some(v) => Patch::Set(v),
            None => Patch::Clear,
        }
    }

    /// The value the field takes after the update, given its current value.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Unchanged => current,
            Patch::Set(v) => Some(v),
            Patch::Clear => None,
        }
    }

    /// Maps the value of `Set`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Set(v) => Patch::Set(f(v)),
            Patch::Clear => Patch::Clear,
        }
    }

    /// Borrows the value of `Set`.
    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Set(v) => Patch::Set(v),
            Patch::Clear => Patch::Clear,
        }
    }
}

impl<T, E> Patch<Result<T, E>> {
    /// Turns a patch of results into a result of a patch, failing on the first error.
    pub fn transpose(self) -> Result<Patch<T>, E> {
        Ok(match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Set(v) => Patch::Set(v?),
            Patch::Clear => Patch::Clear,
        })
    }
}

impl<T> From<T> for Patch<T> {
    fn from(v: T) -> Self {
        Patch::Set(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_covers_all_three() {
        assert_eq!(Patch::Unchanged.apply(Some(1)), Some(1));
        assert_eq!(Patch::Set(2).apply(Some(1)), Some(2));
        assert_eq!(Patch::<i32>::Clear.apply(Some(1)), None);
        assert_eq!(Patch::from_option(None::<i32>), Patch::Clear);
    }
}
