//! Native tests of the heap allocator's bookkeeping (`SizeClasses`) over a
//! plain buffer standing in for the wasm memory: random sequences of
//! allocations, frees and resizes keep every live block aligned, disjoint
//! and intact; classes are reused, resized in place, and exhaustion is null.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::allocator::{SizeClasses, PAGE};
use proptest::prelude::*;
use std::alloc::{alloc_zeroed, dealloc, Layout};

/// A memory source over one buffer, `pages` pages long, that also
/// hands out a non-contiguous region when asked to skip a page.
struct Buffer {
    base: usize,
    pages: usize,
    used: usize,
}

impl Buffer {
    fn new(pages: usize) -> Buffer {
        let layout = Layout::from_size_align(pages * PAGE, PAGE).unwrap();
        Buffer {
            base: unsafe { alloc_zeroed(layout) } as usize,
            pages,
            used: 0,
        }
    }

    fn grow(&mut self, pages: usize, skip: bool) -> Option<usize> {
        let first = self.used + usize::from(skip);
        (first + pages <= self.pages).then(|| {
            self.used = first + pages;
            self.base + first * PAGE
        })
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        let layout = Layout::from_size_align(self.pages * PAGE, PAGE).unwrap();
        unsafe { dealloc(self.base as *mut u8, layout) };
    }
}

#[derive(Clone, Debug)]
enum Step {
    Alloc {
        size: usize,
        align_log2: u32,
        skip: bool,
    },
    Free(usize),
    Realloc(usize, usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1usize..70_000, 0u32..7, any::<bool>()).prop_map(|(size, align_log2, skip)| {
            Step::Alloc {
                size,
                align_log2,
                skip,
            }
        }),
        any::<usize>().prop_map(Step::Free),
        (any::<usize>(), 1usize..70_000).prop_map(|(i, size)| Step::Realloc(i, size)),
    ]
}

/// A live block: address, size, alignment, and the byte it was filled with.
type Live = (usize, usize, usize, u8);

fn fill(ptr: usize, size: usize, byte: u8) {
    unsafe { std::ptr::write_bytes(ptr as *mut u8, byte, size) };
}

fn holds(ptr: usize, size: usize, byte: u8) -> bool {
    unsafe { std::slice::from_raw_parts(ptr as *const u8, size) }
        .iter()
        .all(|&b| b == byte)
}

proptest! {
    #[test]
    fn live_blocks_are_aligned_disjoint_and_keep_their_contents(steps in prop::collection::vec(step(), 1..120)) {
        let mut buffer = Buffer::new(512);
        let mut heap = SizeClasses::new();
        let mut live: Vec<Live> = Vec::new();
        for (n, step) in steps.into_iter().enumerate() {
            let byte = n as u8;
            match step {
                Step::Alloc { size, align_log2, skip } => {
                    let align = 1 << align_log2;
                    let ptr = unsafe { heap.alloc(size, align, |pages| buffer.grow(pages, skip)) };
                    prop_assert!(ptr != 0, "the buffer is large enough");
                    prop_assert_eq!(ptr % align, 0);
                    fill(ptr, size, byte);
                    live.push((ptr, size, align, byte));
                }
                Step::Free(i) if !live.is_empty() => {
                    let (ptr, size, align, byte) = live.swap_remove(i % live.len());
                    prop_assert!(holds(ptr, size, byte));
                    unsafe { heap.free(ptr, size, align) };
                }
                Step::Realloc(i, new_size) if !live.is_empty() => {
                    let i = i % live.len();
                    let (ptr, size, align, old) = live[i];
                    let moved = unsafe { heap.realloc(ptr, size, align, new_size, |pages| buffer.grow(pages, false)) };
                    prop_assert!(moved != 0);
                    prop_assert_eq!(moved % align, 0);
                    prop_assert!(holds(moved, size.min(new_size), old), "contents survive a resize");
                    fill(moved, new_size, byte);
                    live[i] = (moved, new_size, align, byte);
                }
                _ => {}
            }
            let mut spans: Vec<(usize, usize)> = live.iter().map(|&(ptr, size, ..)| (ptr, ptr + size)).collect();
            spans.sort();
            prop_assert!(spans.windows(2).all(|pair| pair[0].1 <= pair[1].0), "live blocks overlap");
            prop_assert!(live.iter().all(|&(ptr, size, _, byte)| holds(ptr, size, byte)), "a block was overwritten");
        }
    }
}

#[test]
fn a_freed_block_is_reused_by_its_class_only() {
    let mut buffer = Buffer::new(4);
    let mut heap = SizeClasses::new();
    let mut grow = |pages| buffer.grow(pages, false);
    unsafe {
        let a = heap.alloc(24, 8, &mut grow);
        heap.free(a, 24, 8);
        let other_class = heap.alloc(40, 8, &mut grow);
        assert_ne!(other_class, a);
        assert_eq!(
            heap.alloc(17, 8, &mut grow),
            a,
            "17 and 24 bytes share the 32-byte class"
        );
    }
}

#[test]
fn a_resize_within_the_class_keeps_the_block() {
    let mut buffer = Buffer::new(4);
    let mut heap = SizeClasses::new();
    unsafe {
        let a = heap.alloc(20, 4, |pages| buffer.grow(pages, false));
        assert_eq!(heap.realloc(a, 20, 4, 32, |_| None), a);
        assert_ne!(
            heap.realloc(a, 32, 4, 33, |pages| buffer.grow(pages, false)),
            a
        );
    }
}

#[test]
fn an_exhausted_source_gives_null_and_a_failed_resize_keeps_the_block() {
    let mut buffer = Buffer::new(1);
    let mut heap = SizeClasses::new();
    unsafe {
        let a = heap.alloc(1000, 8, |pages| buffer.grow(pages, false));
        assert_ne!(a, 0);
        assert_eq!(heap.alloc(PAGE, 8, |pages| buffer.grow(pages, false)), 0);
        fill(a, 1000, 7);
        assert_eq!(
            heap.realloc(a, 1000, 8, 2 * PAGE, |pages| buffer.grow(pages, false)),
            0
        );
        assert!(holds(a, 1000, 7));
        assert_eq!(
            heap.alloc(usize::MAX / 2 + 2, 8, |_| panic!("never grows for it")),
            0
        );
    }
}

#[test]
fn a_large_block_extends_a_contiguous_region_without_a_gap() {
    let mut buffer = Buffer::new(8);
    let mut heap = SizeClasses::new();
    let mut grow = |pages| buffer.grow(pages, false);
    unsafe {
        let small = heap.alloc(8, 8, &mut grow);
        let large = heap.alloc(2 * PAGE, 8, &mut grow);
        assert_eq!(large, small + 8);
    }
    assert_eq!(buffer.used, 3);
}
