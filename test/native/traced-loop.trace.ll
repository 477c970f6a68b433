; traced-loop.trace.ll — a trace of the loop of `run` in traced-loop.c,
; written by hand the way jitd writes one (docs/traces.md). The test fills in
; {{n}}, {{acc}}, {{i}} (byte offsets of site 0's live values in the live
; struct, from the program's side table and ykir) and appends
; @trace_loop_meta, the deopt table (version 2) it generates from the same
; facts. The bundles carry only what the trace computes: mt, loc and n, which
; it only reads, come from the live struct (source 1), and the condition a
; failing guard implies is a constant (source 2). Guards and their frames
; (bundle values first; i1 values are i8 in the frames):
;   0  (i & 63) == 63   run @ term of its branch:     acc i; mt loc n (live), cmp1 = 1
;   1  (acc & 7) == 0   run @ after the call of step: i; mt loc n (live)
;                       step @ term of its branch:    acc i; cmp = 1
;   2  i + 1 == n       run @ term of the exit:       call inc; mt loc n (live), exitcond = 1

declare i64 @__ykts_deopt(i32)

define i64 @trace_loop(ptr %live) {
entry:
  %pn = getelementptr inbounds i8, ptr %live, i64 {{n}}
  %n = load i64, ptr %pn, align 8
  %pacc = getelementptr inbounds i8, ptr %live, i64 {{acc}}
  %acc0 = load i64, ptr %pacc, align 8
  %pi = getelementptr inbounds i8, ptr %live, i64 {{i}}
  %i0 = load i64, ptr %pi, align 8
  br label %loop

loop:
  %i = phi i64 [ %i0, %entry ], [ %inc, %latch ]
  %acc = phi i64 [ %acc0, %entry ], [ %call, %latch ]
  %and = and i64 %i, 63
  %cmp1 = icmp eq i64 %and, 63
  br i1 %cmp1, label %guard0, label %step, !prof !0

guard0:
  %r0 = call i64 @__ykts_deopt(i32 0) [ "deopt"(i64 %acc, i64 %i) ]
  ret i64 %r0

step:                                   ; step(acc, i), inlined
  %sand = and i64 %acc, 7
  %scmp = icmp eq i64 %sand, 0
  br i1 %scmp, label %guard1, label %common, !prof !0

guard1:
  %r1 = call i64 @__ykts_deopt(i32 1) [ "deopt"(i64 %i, i64 %acc, i64 %i) ]
  ret i64 %r1

common:
  %shr = ashr i64 %acc, 3
  %xor = xor i64 %shr, %i
  %call = add nsw i64 %xor, %acc
  %inc = add nuw nsw i64 %i, 1
  %exitcond = icmp eq i64 %inc, %n
  br i1 %exitcond, label %guard2, label %latch, !prof !0

guard2:
  %r2 = call i64 @__ykts_deopt(i32 2) [ "deopt"(i64 %call, i64 %inc) ]
  ret i64 %r2

latch:
  br label %loop
}

!0 = !{!"branch_weights", i32 1, i32 1000}
