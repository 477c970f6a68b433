; trace-run.ll — a trace of the loop of `run` in test/native/trace.c, written
; by hand the way jitd writes one (docs/traces.md §1–2): it loads site 0's
; live values from the live struct and loops until a guard fails. Its deopt
; table is trace-run-meta.c (the same object).
;
; Guards (the meta lists each one's frames and value offsets):
;   0  i >= n            frame run @ resume point 2 (term): mt loc n k i acc done
;   1  i % 16 == 15      frame run @ 3 (term): mt loc n k i acc r next
;   2  i % 5 == 0, inside the inlined call of step(acc, i, k):
;        frame run @ 4 (after the call): mt loc n k i next
;        frame step @ 1 (term): acc i k z
; i1 values travel as i8.

declare i64 @__ykts_deopt(i32)
declare void @hook(i64)

define i64 @trace_run(ptr %live) {
entry:
  %pmt = getelementptr inbounds i8, ptr %live, i64 16
  %mt = load ptr, ptr %pmt, align 8
  %ploc = getelementptr inbounds i8, ptr %live, i64 24
  %loc = load ptr, ptr %ploc, align 8
  %pn = getelementptr inbounds i8, ptr %live, i64 32
  %n = load i64, ptr %pn, align 8
  %pk = getelementptr inbounds i8, ptr %live, i64 40
  %k = load i32, ptr %pk, align 8
  %pi = getelementptr inbounds i8, ptr %live, i64 48
  %i0 = load i64, ptr %pi, align 8
  %pacc = getelementptr inbounds i8, ptr %live, i64 56
  %acc0 = load i64, ptr %pacc, align 8
  br label %loop

loop:
  %i = phi i64 [ %i0, %entry ], [ %next, %latch ]
  %acc = phi i64 [ %acc0, %entry ], [ %acc1, %latch ]
  %done = icmp sge i64 %i, %n
  br i1 %done, label %guard0, label %body, !prof !0

guard0:
  %done8 = zext i1 %done to i8
  %r0 = call i64 @__ykts_deopt(i32 0) [ "deopt"(ptr %mt, ptr %loc, i64 %n, i32 %k, i64 %i, i64 %acc, i8 %done8) ]
  ret i64 %r0

body:
  %next = add i64 %i, 1
  %m16 = srem i64 %i, 16
  %rare = icmp eq i64 %m16, 15
  br i1 %rare, label %guard1, label %step, !prof !0

guard1:
  %rare8 = zext i1 %rare to i8
  %r1 = call i64 @__ykts_deopt(i32 1) [ "deopt"(ptr %mt, ptr %loc, i64 %n, i32 %k, i64 %i, i64 %acc, i8 %rare8, i64 %next) ]
  ret i64 %r1

step:
  %m5 = srem i64 %i, 5
  %z = icmp eq i64 %m5, 0
  br i1 %z, label %guard2, label %latch, !prof !0

guard2:
  %z8 = zext i1 %z to i8
  %r2 = call i64 @__ykts_deopt(i32 2) [ "deopt"(ptr %mt, ptr %loc, i64 %n, i32 %k, i64 %i, i64 %next, i64 %acc, i64 %i, i32 %k, i8 %z8) ]
  ret i64 %r2

latch:
  %k64 = sext i32 %k to i64
  %ik = mul i64 %i, %k64
  %acc1 = add i64 %acc, %ik
  call void @hook(i64 %i)
  br label %loop
}

!0 = !{!"branch_weights", i32 1, i32 1000}
