package dev.nanolet.limits;

import dev.nanolet.limits.ModuleCheckException.Malformed;

/** Skips a constant expression (core spec 3.3.10, with extended-const): the instructions that may appear in one. */
final class ConstantExpression {

    private static final int END = 0x0b;

    private ConstantExpression() {}

    static void skip(Bytes in) {
        while (true) {
            int opcode = in.u8();
            switch (opcode) {
                case END -> {
                    return;
                }
                case 0x41, 0x42 -> in.skipSigned(); // i32.const, i64.const
                case 0x43 -> in.skip(4, in.position() + in.remaining(), "an f32.const");
                case 0x44 -> in.skip(8, in.position() + in.remaining(), "an f64.const");
                case 0x23, 0xd2 -> in.u32(); // global.get, ref.func
                case 0xd0 -> in.skipSigned(); // ref.null heaptype
                case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e -> { } // i32/i64 add, sub, mul
                default -> throw new Malformed(String.format(
                        "opcode 0x%02x at byte %d is not allowed in a constant expression", opcode, in.position() - 1));
            }
        }
    }
}
