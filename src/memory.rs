//! Memory hints for the hot loops.
//!
//! A large gazetteer's tables are far larger than the processor's caches, and the lookups of
//! one document are mostly independent of each other. The matchers and writers therefore ask
//! for the memory a whole round of lookups will read before reading any of it, so that the
//! cache misses overlap instead of stalling the loop one by one.

/// Asks the processor to bring `value`'s cache line in, without waiting for it (nothing on
/// processors without a prefetch instruction here).
#[inline]
pub(crate) fn prefetch<T: ?Sized>(value: &T) {
    prefetch_address((value as *const T).cast::<u8>());
}

/// [`prefetch`] for each cache line of `slice`, up to about `max_lines` of them.
#[inline]
pub(crate) fn prefetch_lines<T>(slice: &[T], max_lines: usize) {
    const LINE: usize = 64;
    let bytes = std::mem::size_of_val(slice);
    let start = slice.as_ptr().cast::<u8>();
    for offset in (0..bytes).step_by(LINE).take(max_lines) {
        prefetch_address(start.wrapping_add(offset));
    }
    if bytes > LINE && bytes <= max_lines * LINE {
        // The slice's last byte, whose line the steps above miss when the slice does not
        // start on a line.
        prefetch_address(start.wrapping_add(bytes - 1));
    }
}

#[inline]
fn prefetch_address(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing and cannot fault, whatever the
    // address (an empty slice's is dangling), and SSE is part of x86_64.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(address.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}
