/*
 * deopt-entry.S — the entry a compiled trace calls when a guard fails.
 *
 * A trace leaves through an ordinary call carrying a "deopt" operand bundle:
 *     %r = call i64 @__ykts_deopt(i32 <guard>) [ "deopt"(<live values>) ]
 *     ret i64 %r
 * LLVM records where each live value is at that call in .llvm_stackmaps:
 * a constant, a spill slot relative to the trace's stack pointer (DWARF
 * register 7) or frame pointer (6), or a callee-saved register. This stub
 * captures exactly what C cannot see by itself — the return address (which
 * identifies the stackmap record), the trace's stack pointer at the call, and
 * the callee-saved registers as the trace left them — and passes them to
 * __ykts_deopt_c (native/shim.c), whose result the trace returns.
 *
 * Stack on entry: (%rsp) = return address, %rsp + 8 = the trace's %rsp at
 * the call. After the six pushes and the alignment slot:
 *   0(%rsp) pad, 8 r15, 16 r14, 24 r13, 32 r12, 40 rbx, 48 rbp,
 *   56 return address, 64 = the trace's %rsp.
 * The saved registers form a YktsSavedRegs (native/shim.h) at 8(%rsp).
 */
        .text
/*
 * __ykts_deopt_any: a guard's exit calls its side-table slot like a side
 * trace, `call i64 %f(ptr %live, <values>) "statepoint-id"="<guard>"
 * ["deopt"(<values>)]`, with %f this entry while the slot is empty. The
 * arguments are ignored (the bundle's values are in the stackmap record);
 * the guard is the record's ID, which YKTS_GUARD_FROM_RECORD (-1) asks
 * __ykts_deopt_c to read. The return address and stack are the trace's, as
 * at a direct __ykts_deopt call.
 */
        .globl  __ykts_deopt_any
        .type   __ykts_deopt_any, @function
__ykts_deopt_any:
        .cfi_startproc
        movl    $-1, %edi
        jmp     .Ldeopt_entry
        .cfi_endproc
        .size   __ykts_deopt_any, .-__ykts_deopt_any

        .globl  __ykts_deopt
        .type   __ykts_deopt, @function
__ykts_deopt:
        .cfi_startproc
.Ldeopt_entry:
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        subq    $8, %rsp                /* entry %rsp was 8 mod 16: now 16-aligned */
        .cfi_adjust_cfa_offset 8
        movl    %edi, %edi              /* guard id: first argument, unchanged */
        movq    56(%rsp), %rsi          /* return address into the trace */
        leaq    64(%rsp), %rdx          /* the trace's stack pointer at the call */
        leaq    8(%rsp), %rcx           /* YktsSavedRegs */
        call    __ykts_deopt_c
        addq    $8, %rsp
        .cfi_adjust_cfa_offset -8
        popq    %r15
        .cfi_adjust_cfa_offset -8
        popq    %r14
        .cfi_adjust_cfa_offset -8
        popq    %r13
        .cfi_adjust_cfa_offset -8
        popq    %r12
        .cfi_adjust_cfa_offset -8
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        ret
        .cfi_endproc
        .size   __ykts_deopt, .-__ykts_deopt

        .section .note.GNU-stack,"",@progbits
