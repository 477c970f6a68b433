; deopt-trace.ll — hand-written "traces" for test/native/deopt.c: each leaves
; through `call @__ykts_deopt(i32 guard) ["deopt"(...)]` the way generated
; traces will, so that the runtime's stackmap decoding can be checked
; against values known here.

declare i64 @__ykts_deopt(i32)

; A counting loop whose guard fails when i reaches n: the deopt values are
; i, the running sum, a pointer, and two constants (i64 and negative i32).
define i64 @loop_trace(ptr %vars, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %cont ]
  %acc = phi i64 [ 0, %entry ], [ %acc1, %cont ]
  %acc1 = add i64 %acc, %i
  %i1 = add i64 %i, 1
  %done = icmp sge i64 %i1, %n
  br i1 %done, label %guard_failed, label %cont, !prof !0
cont:
  br label %loop
guard_failed:
  %r = call i64 @__ykts_deopt(i32 7) [ "deopt"(i64 %i1, i64 %acc1, ptr %vars, i64 12345, i32 -5) ]
  ret i64 %r
}

; Values used again after the call, a large constant (in the constants
; table), and a byte.
define i64 @mixed_trace(i64 %x, i64 %y, i8 %c) {
  %a = mul i64 %x, 3
  %b = add i64 %y, 7
  %r = call i64 @__ykts_deopt(i32 9) [ "deopt"(i64 %a, i64 %b, i64 81985529216486895, i8 %c) ]
  %s = add i64 %r, %a
  %t = add i64 %s, %b
  ret i64 %t
}

!0 = !{!"branch_weights", i32 1, i32 1000}
