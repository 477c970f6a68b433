; trace-run-lean.ll — the trace of trace-run.ll (the loop of `run` in
; test/native/trace.c) as a deopt table of version 2 lets jitd write it:
; the guards' bundles carry only the values the trace changes (i, acc).
; The values it only reads (mt, loc, n, k) come from the live struct, the
; conditions a failing guard implies (done, r, z) are constants in the table
; and next (i + 1) is recomputed from i (trace-run-meta.c built with
; -DMETA_LEAN). The loop is unrolled twice, so guards 3-5 repeat 0-2 (same
; frames, same slot lists).
;
; Guards and their bundles:
;   0, 3  i >= n          run @ 2 (term):         i acc
;   1, 4  i % 16 == 15    run @ 3 (term):         i acc
;   2, 5  i % 5 == 0, inside the inlined call of step(acc, i, k):
;                         run @ 4 (after the call): i
;                         step @ 1 (term):          acc i

declare i64 @__ykts_deopt(i32)
declare void @hook(i64)

define i64 @trace_run(ptr %live) {
entry:
  %pn = getelementptr inbounds i8, ptr %live, i64 32
  %n = load i64, ptr %pn, align 8
  %pk = getelementptr inbounds i8, ptr %live, i64 40
  %k = load i32, ptr %pk, align 8
  %k64 = sext i32 %k to i64
  %pi = getelementptr inbounds i8, ptr %live, i64 48
  %i0 = load i64, ptr %pi, align 8
  %pacc = getelementptr inbounds i8, ptr %live, i64 56
  %acc0 = load i64, ptr %pacc, align 8
  br label %loop

loop:
  %i = phi i64 [ %i0, %entry ], [ %ib1, %latchb ]
  %acc = phi i64 [ %acc0, %entry ], [ %accb1, %latchb ]
  %done = icmp sge i64 %i, %n
  br i1 %done, label %guard0, label %body, !prof !0

guard0:
  %r0 = call i64 @__ykts_deopt(i32 0) [ "deopt"(i64 %i, i64 %acc) ]
  ret i64 %r0

body:
  %m16 = srem i64 %i, 16
  %rare = icmp eq i64 %m16, 15
  br i1 %rare, label %guard1, label %step, !prof !0

guard1:
  %r1 = call i64 @__ykts_deopt(i32 1) [ "deopt"(i64 %i, i64 %acc) ]
  ret i64 %r1

step:
  %m5 = srem i64 %i, 5
  %z = icmp eq i64 %m5, 0
  br i1 %z, label %guard2, label %latch, !prof !0

guard2:
  %r2 = call i64 @__ykts_deopt(i32 2) [ "deopt"(i64 %i, i64 %acc, i64 %i) ]
  ret i64 %r2

latch:
  %ik = mul i64 %i, %k64
  %acc1 = add i64 %acc, %ik
  call void @hook(i64 %i)
  %i1 = add i64 %i, 1
  %doneb = icmp sge i64 %i1, %n
  br i1 %doneb, label %guard3, label %bodyb, !prof !0

guard3:
  %r3 = call i64 @__ykts_deopt(i32 3) [ "deopt"(i64 %i1, i64 %acc1) ]
  ret i64 %r3

bodyb:
  %m16b = srem i64 %i1, 16
  %rareb = icmp eq i64 %m16b, 15
  br i1 %rareb, label %guard4, label %stepb, !prof !0

guard4:
  %r4 = call i64 @__ykts_deopt(i32 4) [ "deopt"(i64 %i1, i64 %acc1) ]
  ret i64 %r4

stepb:
  %m5b = srem i64 %i1, 5
  %zb = icmp eq i64 %m5b, 0
  br i1 %zb, label %guard5, label %latchb, !prof !0

guard5:
  %r5 = call i64 @__ykts_deopt(i32 5) [ "deopt"(i64 %i1, i64 %acc1, i64 %i1) ]
  ret i64 %r5

latchb:
  %ikb = mul i64 %i1, %k64
  %accb1 = add i64 %acc1, %ikb
  call void @hook(i64 %i1)
  %ib1 = add i64 %i1, 1
  br label %loop
}

!0 = !{!"branch_weights", i32 1, i32 1000}
