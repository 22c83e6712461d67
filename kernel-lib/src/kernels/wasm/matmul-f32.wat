;; Matrix multiply in float32 with WebAssembly SIMD (f32x4): the kernels of the opt-in float32
;; matmul (wasm-f32.ts). Assembled with matmul.wat into matmul-wasm.generated.ts (assemble.ts).
;;
;; The same two register-blocked kernels as matmul.wat, with four numbers per instruction instead
;; of two: f32x4 holds twice the lanes of f64x2, so each multiply and add does twice the work.
;; The price is precision: float32 keeps 24 bits of mantissa (about 7 digits), float64 53.
;;
;;   mm_nn: C[m,n] = A[m,k] · B[k,n]
;;     Block: 4 rows × 8 columns of C = 8 accumulators of 4 floats. Per p: 2 loads of B (8 floats
;;     of row p), 4 splat-loads of a(i..i+3, p), 8 multiply-adds of 4 lanes.
;;   mm_nt: C[m,n] = A[m,k] · B[n,k]ᵀ
;;     Block: 4 rows of A × 2 rows of B = 8 accumulators, each holding four partial dot products
;;     (p mod 4). Per four p: 4 loads of A, 2 loads of B, 8 multiply-adds of 4 lanes.
;;
;; Unlike matmul.wat these OVERWRITE C (a product is computed whole, in one call): wasm-f32.ts
;; adds it into the float64 C itself, so that a sum over many products (a weight's gradient over
;; 64 time steps) is carried in float64 and only each product is rounded to float32.
;;
;; The operands arrive in float64 and are rounded here, by `demote` (four doubles per iteration:
;; in JavaScript, Float32Array.set of a Float64Array took 0.7 ns a number, four times a plain copy).
;;
;; Everything is in bytes; rows are contiguous (A's transpose is made while it is copied in). The
;; JS side pads to whole blocks: mm_nn needs m % 4 == 0 and n % 8 == 0; mm_nt needs m % 4 == 0,
;; n % 2 == 0 and k % 4 == 0. k >= 1 (k >= 4 for mm_nt).
(module
  (memory (export "memory") 1)

  ;; dst[0..count) = src[0..count) rounded to float32 (round to nearest even); count % 4 == 0.
  (func (export "demote") (param $src i32) (param $dst i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        ;; Two pairs of doubles -> (f0, f1, 0, 0) and (f2, f3, 0, 0) -> (f0, f1, f2, f3).
        (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (v128.load offset=0 (local.get $src)))
          (f32x4.demote_f64x2_zero (v128.load offset=16 (local.get $src)))))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $next))))

  ;; dst[0..count) += src[0..count): float32 products added into float64 (exactly: every float32
  ;; is a double); count % 4 == 0.
  (func (export "add_promoted") (param $src i32) (param $dst i32) (param $count i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $x (v128.load (local.get $src)))
        (v128.store offset=0 (local.get $dst) (f64x2.add (v128.load offset=0 (local.get $dst))
          (f64x2.promote_low_f32x4 (local.get $x))))
        (v128.store offset=16 (local.get $dst) (f64x2.add (v128.load offset=16 (local.get $dst))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $next))))

  (func (export "mm_nn")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $j i32) (local $p i32) (local $rowA i32) (local $rowB i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $rowA (i32.shl (local.get $k) (i32.const 2)))
    (local.set $rowB (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $iDone
      (loop $iLoop
        (br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $c00 (v128.const f32x4 0 0 0 0)) (local.set $c01 (v128.const f32x4 0 0 0 0))
            (local.set $c10 (v128.const f32x4 0 0 0 0)) (local.set $c11 (v128.const f32x4 0 0 0 0))
            (local.set $c20 (v128.const f32x4 0 0 0 0)) (local.set $c21 (v128.const f32x4 0 0 0 0))
            (local.set $c30 (v128.const f32x4 0 0 0 0)) (local.set $c31 (v128.const f32x4 0 0 0 0))
            ;; Walk p: a(i+r, p) for r = 0..3 and B[p, j..j+7].
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowA))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $rowA)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $rowA)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $rowA)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (loop $pLoop
              (local.set $b0 (v128.load offset=0 (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $x (v128.load32_splat (local.get $pa0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $pa1)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $pa2)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $pa3)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $pa0 (i32.add (local.get $pa0) (i32.const 4)))
              (local.set $pa1 (i32.add (local.get $pa1) (i32.const 4)))
              (local.set $pa2 (i32.add (local.get $pa2) (i32.const 4)))
              (local.set $pa3 (i32.add (local.get $pa3) (i32.const 4)))
              (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
              (br_if $pLoop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
            (local.set $pc (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
            (v128.store offset=0 (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowB)))
            (v128.store offset=0 (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowB)))
            (v128.store offset=0 (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowB)))
            (v128.store offset=0 (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $jLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iLoop))))

  ;; The two floats (s0's lane sum, s1's lane sum), in lanes 0 and 1: C[i+r, j] and C[i+r, j+1].
  (func $pairSums (param $s0 v128) (param $s1 v128) (result v128)
    (local $t v128)
    ;; t = (s0[0] + s0[2], s0[1] + s0[3], s1[0] + s1[2], s1[1] + s1[3])
    (local.set $t (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
    ;; (t[0] + t[1], t[2] + t[3], ...)
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $t) (local.get $t))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $t) (local.get $t))))

  (func (export "mm_nt")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $j i32) (local $p i32) (local $rowA i32) (local $rowC i32) (local $pc i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb0 i32) (local $pb1 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $y0 v128) (local $y1 v128) (local $x v128)
    (local.set $rowA (i32.shl (local.get $k) (i32.const 2)))
    (local.set $rowC (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $iDone
      (loop $iLoop
        (br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $s00 (v128.const f32x4 0 0 0 0)) (local.set $s01 (v128.const f32x4 0 0 0 0))
            (local.set $s10 (v128.const f32x4 0 0 0 0)) (local.set $s11 (v128.const f32x4 0 0 0 0))
            (local.set $s20 (v128.const f32x4 0 0 0 0)) (local.set $s21 (v128.const f32x4 0 0 0 0))
            (local.set $s30 (v128.const f32x4 0 0 0 0)) (local.set $s31 (v128.const f32x4 0 0 0 0))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowA))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $rowA)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $rowA)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $rowA)))
            (local.set $pb0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $rowA))))
            (local.set $pb1 (i32.add (local.get $pb0) (local.get $rowA)))
            (local.set $p (i32.shr_u (local.get $k) (i32.const 2)))
            (loop $pLoop
              (local.set $y0 (v128.load (local.get $pb0)))
              (local.set $y1 (v128.load (local.get $pb1)))
              (local.set $x (v128.load (local.get $pa0)))
              (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $y0))))
              (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $y1))))
              (local.set $x (v128.load (local.get $pa1)))
              (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $y0))))
              (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $y1))))
              (local.set $x (v128.load (local.get $pa2)))
              (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $y0))))
              (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $y1))))
              (local.set $x (v128.load (local.get $pa3)))
              (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $y0))))
              (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $y1))))
              (local.set $pa0 (i32.add (local.get $pa0) (i32.const 16)))
              (local.set $pa1 (i32.add (local.get $pa1) (i32.const 16)))
              (local.set $pa2 (i32.add (local.get $pa2) (i32.const 16)))
              (local.set $pa3 (i32.add (local.get $pa3) (i32.const 16)))
              (local.set $pb0 (i32.add (local.get $pb0) (i32.const 16)))
              (local.set $pb1 (i32.add (local.get $pb1) (i32.const 16)))
              (br_if $pLoop (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
            ;; Row r of the block: two floats, C[i+r, j..j+1], stored as one 8-byte lane (as an integer: its bits are two floats, never one double).
            (local.set $pc (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
            (i64.store (local.get $pc) (i64x2.extract_lane 0 (call $pairSums (local.get $s00) (local.get $s01))))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowC)))
            (i64.store (local.get $pc) (i64x2.extract_lane 0 (call $pairSums (local.get $s10) (local.get $s11))))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowC)))
            (i64.store (local.get $pc) (i64x2.extract_lane 0 (call $pairSums (local.get $s20) (local.get $s21))))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowC)))
            (i64.store (local.get $pc) (i64x2.extract_lane 0 (call $pairSums (local.get $s30) (local.get $s31))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iLoop))))
)
