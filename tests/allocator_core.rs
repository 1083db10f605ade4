//! Native tests of the wasm heap (talc, src/allocator.rs) over a buffer
//! standing in for the wasm memory, grown a page at a time and extended in
//! place as `memory.grow` does: over random sequences of allocations, frees
//! and resizes whose sizes shift between scales (8 bytes to 64 KiB) and
//! whose alignments reach 64, every live block is aligned, disjoint and
//! intact, and the memory grown stays within twice the peak of live bytes
//! (a resize holds both blocks until its copy is done) plus two pages.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::cell::Cell;
use std::ptr::NonNull;
use talc::base::binning::Binning;
use talc::base::Talc;
use talc::wasm::WasmBinning;

/// A wasm page: the unit memory grows by.
const PAGE: usize = 65_536;
/// The buffer's size in pages: far more than any sequence here needs.
const PAGES: usize = 1024;

thread_local! {
    /// The buffer's base address and how many pages were grown so far.
    static MEMORY: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// `memory.grow(pages)` over the buffer: the first new page's address.
fn grow(pages: usize) -> Option<usize> {
    MEMORY.with(|memory| {
        let (base, used) = memory.get();
        (used + pages <= PAGES).then(|| {
            memory.set((base, used + pages));
            base + used * PAGE
        })
    })
}

/// As talc's WasmGrowAndExtend: grow enough for the request, extend the
/// heap when the new pages follow it, else claim them as a new heap.
#[derive(Debug, Default)]
struct Grown {
    end: Option<NonNull<u8>>,
}

// SAFETY: acquire hands talc only pages `grow` gave out, which nothing else uses.
unsafe impl talc::source::Source for Grown {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        let pages = (layout.size() + layout.align() + 64).div_ceil(PAGE);
        let base = grow(pages).ok_or(())? as *mut u8;
        let end = unsafe { base.add(pages * PAGE) };
        if let Some(old_end) = talc.source.end.take() {
            if old_end.as_ptr() == base {
                talc.source.end = Some(unsafe { talc.extend(old_end, end) });
                return Ok(());
            }
        }
        talc.source.end = unsafe { talc.claim(base, pages * PAGE) };
        Ok(())
    }
}

/// A fresh buffer and heap for one sequence.
fn heap() -> Talc<Grown, WasmBinning> {
    let layout = Layout::from_size_align(PAGES * PAGE, PAGE).unwrap();
    MEMORY.with(|memory| {
        let (base, _) = memory.get();
        if base != 0 {
            unsafe { dealloc(base as *mut u8, layout) };
        }
        memory.set((unsafe { alloc_zeroed(layout) } as usize, 0));
    });
    Talc::new(Grown::default())
}

fn grown_bytes() -> usize {
    MEMORY.with(|memory| memory.get().1) * PAGE
}

#[derive(Clone, Debug)]
enum Step {
    /// Sizes from this scale on (log2 of a size: 3 to 16).
    Scale(u32),
    /// A block of `fraction`/256 of 2 × the scale's size, aligned to 1 << align_log2.
    Alloc {
        fraction: u8,
        align_log2: u32,
    },
    Free(usize),
    Realloc(usize, u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (3u32..17).prop_map(Step::Scale),
        6 => (any::<u8>(), 0u32..7).prop_map(|(fraction, align_log2)| Step::Alloc { fraction, align_log2 }),
        4 => any::<usize>().prop_map(Step::Free),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(i, fraction)| Step::Realloc(i, fraction)),
    ]
}

/// A live block: address, layout, and the byte it was filled with.
type Live = (usize, Layout, u8);

fn fill(ptr: usize, size: usize, byte: u8) {
    unsafe { std::ptr::write_bytes(ptr as *mut u8, byte, size) };
}

fn holds(ptr: usize, size: usize, byte: u8) -> bool {
    unsafe { std::slice::from_raw_parts(ptr as *const u8, size) }
        .iter()
        .all(|&b| b == byte)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn live_blocks_are_intact_and_the_heap_stays_near_its_peak(steps in prop::collection::vec(step(), 1..400)) {
        let mut talc = heap();
        let mut live: Vec<Live> = Vec::new();
        let (mut scale, mut bytes, mut peak) = (8usize, 0usize, 0usize);
        let size_of = |scale: usize, fraction: u8| (2 * scale * (fraction as usize + 1) / 256).max(1);
        for (n, step) in steps.into_iter().enumerate() {
            let byte = n as u8;
            match step {
                Step::Scale(log2) => scale = 1 << log2,
                Step::Alloc { fraction, align_log2 } => {
                    let layout = Layout::from_size_align(size_of(scale, fraction), 1 << align_log2).unwrap();
                    let ptr = unsafe { talc.allocate(layout) }.expect("the buffer is large enough").as_ptr() as usize;
                    prop_assert_eq!(ptr % layout.align(), 0);
                    fill(ptr, layout.size(), byte);
                    live.push((ptr, layout, byte));
                    bytes += layout.size();
                }
                Step::Free(i) if !live.is_empty() => {
                    let (ptr, layout, byte) = live.swap_remove(i % live.len());
                    prop_assert!(holds(ptr, layout.size(), byte));
                    unsafe { talc.deallocate(ptr as *mut u8, layout) };
                    bytes -= layout.size();
                }
                Step::Realloc(i, fraction) if !live.is_empty() => {
                    // What GlobalAlloc::realloc does with realloc-in-place disabled.
                    let i = i % live.len();
                    let (ptr, layout, old) = live[i];
                    let resized = Layout::from_size_align(size_of(scale, fraction), layout.align()).unwrap();
                    let moved = unsafe { talc.allocate(resized) }.expect("the buffer is large enough").as_ptr() as usize;
                    // Both blocks are live until the copy is done.
                    peak = peak.max(bytes + resized.size());
                    prop_assert_eq!(moved % resized.align(), 0);
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr as *const u8, moved as *mut u8, layout.size().min(resized.size()));
                        talc.deallocate(ptr as *mut u8, layout);
                    }
                    prop_assert!(holds(moved, layout.size().min(resized.size()), old), "contents survive a resize");
                    fill(moved, resized.size(), byte);
                    live[i] = (moved, resized, byte);
                    bytes = bytes - layout.size() + resized.size();
                }
                _ => {}
            }
            peak = peak.max(bytes);
            let mut spans: Vec<(usize, usize)> = live.iter().map(|&(ptr, layout, _)| (ptr, ptr + layout.size())).collect();
            spans.sort();
            prop_assert!(spans.windows(2).all(|pair| pair[0].1 <= pair[1].0), "live blocks overlap");
            prop_assert!(
                grown_bytes() <= 2 * peak + 2 * PAGE,
                "grew {} bytes for a peak of {} live bytes",
                grown_bytes(),
                peak
            );
        }
    }
}

#[test]
fn memory_stops_growing_when_the_same_work_runs_again() {
    // The shape of a report storm: many small blocks, a few large ones, all freed.
    let mut talc = heap();
    let mut grown = Vec::new();
    for _round in 0..3 {
        let mut blocks = Vec::new();
        for i in 0..2000usize {
            let layout = Layout::from_size_align(16 + (i * 37) % 3000, 1 << (i % 7)).unwrap();
            blocks.push((unsafe { talc.allocate(layout) }.unwrap(), layout));
            if i % 500 == 0 {
                let large = Layout::from_size_align(200_000, 16).unwrap();
                blocks.push((unsafe { talc.allocate(large) }.unwrap(), large));
            }
        }
        for (ptr, layout) in blocks {
            unsafe { talc.deallocate(ptr.as_ptr(), layout) };
        }
        grown.push(grown_bytes());
    }
    assert_eq!(
        grown[1], grown[0],
        "the second round reuses the first's memory: {grown:?}"
    );
    assert_eq!(grown[2], grown[0], "{grown:?}");
}
