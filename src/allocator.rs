//! The heap allocator: a free list per power-of-two size class, over a
//! region carved upward from pages the memory source grows. No splitting
//! and no merging: a freed block waits for the next request of its class.
//! That makes it a fraction of talc's or dlmalloc's code in the .wasm,
//! which every page and worker downloads, at the price of rounding each
//! block up to a power of two; memory a class once held stays with it, so
//! the heap is bounded by each class's peak. The bookkeeping is pure over
//! raw addresses (tested natively over a plain buffer); the `wasm` module
//! at the bottom is the shell that grows the linear memory.

/// The unit the memory source grows by: a wasm page.
pub const PAGE: usize = 65_536;
/// The smallest block: room for the free list's link, on any target.
const MIN_BLOCK: usize = 8;

/// The allocator's state: free list heads per class, and the bump region.
pub struct SizeClasses {
    /// Per class (log2 of the block size), the first free block, or 0.
    free: [usize; usize::BITS as usize],
    /// The next unused address of the region, and where the region ends.
    next: usize,
    end: usize,
}

impl Default for SizeClasses {
    fn default() -> Self {
        Self::new()
    }
}

impl SizeClasses {
    pub const fn new() -> Self {
        SizeClasses {
            free: [0; usize::BITS as usize],
            next: 0,
            end: 0,
        }
    }

    /// The class of a request: log2 of its block size, or `None` when no
    /// power of two of this target's width holds it.
    fn class(size: usize, align: usize) -> Option<u32> {
        let need = size.max(align).max(MIN_BLOCK);
        let class = usize::BITS - (need - 1).leading_zeros();
        (class < usize::BITS - 1).then_some(class)
    }

    /// A block of at least `size` bytes aligned to `align` (a power of two),
    /// or 0 when the memory source is exhausted. `grow(pages)` adds `pages`
    /// pages and returns the address of the first, or `None`.
    ///
    /// # Safety
    /// Every address `grow` returns must start `pages * PAGE` bytes of
    /// writable memory that nothing else uses, aligned to `PAGE`, and every
    /// block this returned and `free` was given must not be in use.
    pub unsafe fn alloc(
        &mut self,
        size: usize,
        align: usize,
        mut grow: impl FnMut(usize) -> Option<usize>,
    ) -> usize {
        let Some(class) = Self::class(size, align) else {
            return 0;
        };
        let block = 1usize << class;
        // Free blocks are 8-aligned (every block size is a multiple of 8
        // and the region starts page-aligned); a stricter request is carved.
        let head = self.free[class as usize];
        if head != 0 && align <= MIN_BLOCK {
            self.free[class as usize] = (head as *const usize).read();
            return head;
        }
        loop {
            let start = (self.next + align - 1) & !(align - 1);
            if let Some(fits) = start.checked_add(block).filter(|&end| end <= self.end) {
                self.next = fits;
                return start;
            }
            let short = start.saturating_add(block).saturating_sub(self.end);
            let pages = short.div_ceil(PAGE).max(1);
            let Some(base) = grow(pages) else {
                return 0;
            };
            if base != self.end {
                // Not contiguous with the region: a new region starts there.
                self.next = base;
            }
            let Some(end) = base.checked_add(pages * PAGE) else {
                return 0;
            };
            self.end = end;
        }
    }

    /// Returns a block `alloc(size, align)` gave.
    ///
    /// # Safety
    /// `ptr` came from `alloc` with the same `size` and `align`, and is no
    /// longer used.
    pub unsafe fn free(&mut self, ptr: usize, size: usize, align: usize) {
        let Some(class) = Self::class(size, align) else {
            return;
        };
        (ptr as *mut usize).write(self.free[class as usize]);
        self.free[class as usize] = ptr;
    }

    /// Resizes a block: the same block while the new size is in its class,
    /// else a new one holding the old contents (0, and the old block kept,
    /// when memory is exhausted).
    ///
    /// # Safety
    /// As `alloc` and `free`: `ptr` came from `alloc(size, align)`.
    pub unsafe fn realloc(
        &mut self,
        ptr: usize,
        size: usize,
        align: usize,
        new_size: usize,
        grow: impl FnMut(usize) -> Option<usize>,
    ) -> usize {
        if Self::class(size, align) == Self::class(new_size, align) {
            return ptr;
        }
        let moved = self.alloc(new_size, align, grow);
        if moved != 0 {
            core::ptr::copy_nonoverlapping(ptr as *const u8, moved as *mut u8, size.min(new_size));
            self.free(ptr, size, align);
        }
        moved
    }
}

/// The global allocator of the wasm builds: `SizeClasses` over
/// `memory.grow`.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::{SizeClasses, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    struct Heap(UnsafeCell<SizeClasses>);

    // SAFETY: wasm32-unknown-unknown without the atomics feature runs one
    // thread, and no method here calls back into the allocator.
    unsafe impl Sync for Heap {}

    fn grow(pages: usize) -> Option<usize> {
        let previous = core::arch::wasm32::memory_grow(0, pages);
        (previous != usize::MAX).then(|| previous * PAGE)
    }

    // SAFETY: memory.grow hands out fresh, page-aligned memory that only
    // this allocator uses; the Layout contracts are the SizeClasses ones.
    unsafe impl GlobalAlloc for Heap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            (*self.0.get()).alloc(layout.size(), layout.align(), grow) as *mut u8
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            (*self.0.get()).free(ptr as usize, layout.size(), layout.align())
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            (*self.0.get()).realloc(ptr as usize, layout.size(), layout.align(), new_size, grow)
                as *mut u8
        }
    }

    #[global_allocator]
    static HEAP: Heap = Heap(UnsafeCell::new(SizeClasses::new()));
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
