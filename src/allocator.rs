//! The heap allocator: a free list per power-of-two size class, over a
//! region carved upward from pages the memory source grows. No splitting
//! and no merging: a freed block waits for the next request of its class.
//! That makes it a fraction of talc's or dlmalloc's code in the .wasm,
//! which every page and worker downloads, at the price of rounding each
//! block up to a power of two; memory a class once held stays with it, so
//! the heap is bounded by each class's peak. The bookkeeping is pure over
//! raw addresses (tests/allocator_core.rs runs it over a plain buffer); the
//! `wasm` module at the bottom is the shell that grows the linear memory.

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
