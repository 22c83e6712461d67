;; Matrix multiply with WebAssembly SIMD (f64x2), the source of matmul-wasm.generated.ts.
;; Regenerate after editing: npm run wasm --workspace kernel-lib (see assemble.ts).
;;
;; Two micro-kernels, both "register blocked": a small block of C stays in v128 locals (which
;; the engine keeps in SIMD registers) for the whole sum over p, so each number loaded from memory
;; is used several times and C is read and written once per block instead of once per p.
;;
;;   mm_nn: C[m,n] += op(A)[m,k] · B[k,n]   ("axpy" form; A is addressed through strides, but
;;     wasm-simd.ts hands it Aᵀ already transposed: Aᵀ walked down its columns ran at half speed)
;;     Block: 4 rows × 4 columns of C = 8 accumulators of 2 doubles. Per p: 2 loads of B (4
;;     doubles of row p), 4 splat-loads of a(i..i+3, p), 8 multiply-adds of 2 lanes.
;;     B is addressed through strides too: row-major, or packed by pack_b into panels of 4
;;     columns, so that a block's walk down p reads contiguous memory (a large B with long rows,
;;     a weight matrix [4H, H] at H = 256, ran at half speed row-major: each p touched a new
;;     cache line and used half of it).
;;   pack_b: B [k,n] row-major -> n/4 panels [k,4], for mm_nn.
;;   mm_nt: C[m,n] += A[m,k] · B[n,k]ᵀ      ("dot" form: x·Wᵀ with W stored [out,in])
;;     Block: 4 rows of A × 2 rows of B = 8 accumulators, each holding two partial dot products
;;     (even and odd p). Per pair of p: 4 loads of A, 2 loads of B, 8 multiply-adds of 2 lanes.
;;
;; Why this is fast: two doubles per instruction, and 16 multiply-adds (8 f64x2 pairs) for every
;; 6 loads; near the CPU's peak for 128-bit SIMD (measurements: kernel-lib/bench/README.md).
;;
;; Everything is in bytes. The JS side (wasm-simd.ts) pads the operands it copies in, so that the
;; kernels only ever see whole blocks: mm_nn needs m % 4 == 0 and n % 4 == 0; mm_nt needs
;; m % 4 == 0, n % 2 == 0 and k % 2 == 0. k >= 1 (k >= 2 for mm_nt).
;;
;; $ld is the length of a row of C in doubles; $n is how many of its columns to compute. They are
;; equal except when two threads share a product column-wise (wasm-threads.ts): each then
;; computes n = ld/2 columns from its own offset into B and C.
(module
  (memory (export "memory") 1)

  ;; a(i,p) is at a + i*aRow + p*aCol: aRow = 8k, aCol = 8 for A [m,k]; aRow = 8, aCol = 8m for
  ;; A stored [k,m] and used transposed. The 4 columns of B from column j (j % 4 == 0) are 4
  ;; contiguous doubles at b + j*bCol + p*bRow in row p: bCol = 8, bRow = 8n (row-major), or
  ;; bCol = 8k, bRow = 32 (pack_b's panels). C is row-major, rows ld doubles apart.
  (func (export "mm_nn")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aRow i32) (param $aCol i32) (param $bRow i32) (param $bCol i32) (param $ld i32)
    (local $i i32) (local $j i32) (local $p i32) (local $rowC i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32)
    (local $pc0 i32) (local $pc1 i32) (local $pc2 i32) (local $pc3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $rowC (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $iDone
      (loop $iLoop
        (br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
            ;; Load the 4x4 block of C at (i, j).
            (local.set $pc0 (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ld)) (local.get $j)) (i32.const 3))))
            (local.set $pc1 (i32.add (local.get $pc0) (local.get $rowC)))
            (local.set $pc2 (i32.add (local.get $pc1) (local.get $rowC)))
            (local.set $pc3 (i32.add (local.get $pc2) (local.get $rowC)))
            (local.set $c00 (v128.load offset=0 (local.get $pc0)))
            (local.set $c01 (v128.load offset=16 (local.get $pc0)))
            (local.set $c10 (v128.load offset=0 (local.get $pc1)))
            (local.set $c11 (v128.load offset=16 (local.get $pc1)))
            (local.set $c20 (v128.load offset=0 (local.get $pc2)))
            (local.set $c21 (v128.load offset=16 (local.get $pc2)))
            (local.set $c30 (v128.load offset=0 (local.get $pc3)))
            (local.set $c31 (v128.load offset=16 (local.get $pc3)))
            ;; Walk p: a(i+r, p) for r = 0..3 and B[p, j..j+3].
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $aRow)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $aRow)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $aRow)))
            (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $bCol))))
            (local.set $p (local.get $k))
            (loop $pLoop
              (local.set $b0 (v128.load offset=0 (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $x (v128.load64_splat (local.get $pa0)))
              (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load64_splat (local.get $pa1)))
              (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load64_splat (local.get $pa2)))
              (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load64_splat (local.get $pa3)))
              (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $pa0 (i32.add (local.get $pa0) (local.get $aCol)))
              (local.set $pa1 (i32.add (local.get $pa1) (local.get $aCol)))
              (local.set $pa2 (i32.add (local.get $pa2) (local.get $aCol)))
              (local.set $pa3 (i32.add (local.get $pa3) (local.get $aCol)))
              (local.set $pb (i32.add (local.get $pb) (local.get $bRow)))
              (br_if $pLoop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
            (v128.store offset=0 (local.get $pc0) (local.get $c00))
            (v128.store offset=16 (local.get $pc0) (local.get $c01))
            (v128.store offset=0 (local.get $pc1) (local.get $c10))
            (v128.store offset=16 (local.get $pc1) (local.get $c11))
            (v128.store offset=0 (local.get $pc2) (local.get $c20))
            (v128.store offset=16 (local.get $pc2) (local.get $c21))
            (v128.store offset=0 (local.get $pc3) (local.get $c30))
            (v128.store offset=16 (local.get $pc3) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iLoop))))

  ;; Copies B [k,n] (row-major, n % 4 == 0, n >= 4) at $src to $dst as n/4 panels [k,4]: panel q holds
  ;; columns 4q..4q+3, row p at dst + q*32k + p*32. Walks B row by row (reading it in order and
  ;; writing n/4 streams was faster than the other way round, measured in the bench README).
  (func (export "pack_b") (param $src i32) (param $dst i32) (param $k i32) (param $n i32)
    (local $p i32) (local $to i32) (local $end i32) (local $panel i32)
    (local.set $panel (i32.shl (local.get $k) (i32.const 5)))
    (local.set $p (i32.const 0))
    (block $pDone
      (loop $pLoop
        (br_if $pDone (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 5))))
        (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 3))))
        (loop $qLoop
          (v128.store offset=0 (local.get $to) (v128.load offset=0 (local.get $src)))
          (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $src)))
          (local.set $to (i32.add (local.get $to) (local.get $panel)))
          (local.set $src (i32.add (local.get $src) (i32.const 32)))
          (br_if $qLoop (i32.lt_u (local.get $src) (local.get $end))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pLoop))))

  ;; C[i,j] += Σ_p A[i,p]·B[j,p]: A is [m,k], B is [n,k], C is [m,n] (rows ld apart), all row-major.
  (func (export "mm_nt")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32) (param $ld i32)
    (local $i i32) (local $j i32) (local $p i32) (local $rowA i32) (local $pc i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb0 i32) (local $pb1 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $y0 v128) (local $y1 v128) (local $x v128)
    (local.set $rowA (i32.shl (local.get $k) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $iDone
      (loop $iLoop
        (br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $s00 (v128.const f64x2 0 0)) (local.set $s01 (v128.const f64x2 0 0))
            (local.set $s10 (v128.const f64x2 0 0)) (local.set $s11 (v128.const f64x2 0 0))
            (local.set $s20 (v128.const f64x2 0 0)) (local.set $s21 (v128.const f64x2 0 0))
            (local.set $s30 (v128.const f64x2 0 0)) (local.set $s31 (v128.const f64x2 0 0))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowA))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $rowA)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $rowA)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $rowA)))
            (local.set $pb0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $rowA))))
            (local.set $pb1 (i32.add (local.get $pb0) (local.get $rowA)))
            (local.set $p (i32.shr_u (local.get $k) (i32.const 1)))
            (loop $pLoop
              (local.set $y0 (v128.load (local.get $pb0)))
              (local.set $y1 (v128.load (local.get $pb1)))
              (local.set $x (v128.load (local.get $pa0)))
              (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $x (v128.load (local.get $pa1)))
              (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $x (v128.load (local.get $pa2)))
              (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $x (v128.load (local.get $pa3)))
              (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x) (local.get $y0))))
              (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x) (local.get $y1))))
              (local.set $pa0 (i32.add (local.get $pa0) (i32.const 16)))
              (local.set $pa1 (i32.add (local.get $pa1) (i32.const 16)))
              (local.set $pa2 (i32.add (local.get $pa2) (i32.const 16)))
              (local.set $pa3 (i32.add (local.get $pa3) (i32.const 16)))
              (local.set $pb0 (i32.add (local.get $pb0) (i32.const 16)))
              (local.set $pb1 (i32.add (local.get $pb1) (i32.const 16)))
              (br_if $pLoop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
            ;; Row r of the block: C[i+r, j..j+1] += (s_r0.even + s_r0.odd, s_r1.even + s_r1.odd),
            ;; the two lanes gathered by shuffles: (s_r0[0], s_r1[0]) + (s_r0[1], s_r1[1]).
            (local.set $pc (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ld)) (local.get $j)) (i32.const 3))))
            (v128.store (local.get $pc) (f64x2.add (v128.load (local.get $pc)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s00) (local.get $s01))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s00) (local.get $s01)))))
            (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ld) (i32.const 3))))
            (v128.store (local.get $pc) (f64x2.add (v128.load (local.get $pc)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s10) (local.get $s11))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s10) (local.get $s11)))))
            (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ld) (i32.const 3))))
            (v128.store (local.get $pc) (f64x2.add (v128.load (local.get $pc)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s20) (local.get $s21))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s20) (local.get $s21)))))
            (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ld) (i32.const 3))))
            (v128.store (local.get $pc) (f64x2.add (v128.load (local.get $pc)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s30) (local.get $s31))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s30) (local.get $s31)))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iLoop))))
)
