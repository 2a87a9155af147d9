package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pickle is a program: checkpoints that try to run one are refused before anything runs. */
class HostilePickleTest {

    @TempDir
    Path dir;

    /** {@code archive/data.pkl} = the classic payload: GLOBAL module name, a command string, TUPLE1, REDUCE. */
    static byte[] payload(String module, String name, String command) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2, 'c'});
        p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {'q', 0, 'X'});
        byte[] cmd = command.getBytes(StandardCharsets.US_ASCII);
        p.writeBytes(new byte[] {(byte) cmd.length, (byte) (cmd.length >> 8), (byte) (cmd.length >> 16), (byte) (cmd.length >> 24)});
        p.writeBytes(cmd);
        p.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
        return p.toByteArray();
    }

    Path archive(String name, byte[] pickle) throws IOException {
        return TestZip.stored(dir.resolve(name), false, List.of(
                TestZip.Entry.of("archive/data.pkl", pickle),
                TestZip.Entry.of("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII))));
    }

    @ParameterizedTest
    @CsvSource({"os, system", "posix, system", "builtins, eval", "builtins, exec", "subprocess, Popen",
            "nt, system", "torch, load", "__builtin__, eval"})
    void refusesCodeExecutingGlobals(String module, String name) throws IOException {
        Path marker = dir.resolve("pwned-" + module + "-" + name);
        String command = name.equals("eval") || name.equals("exec")
                ? "open('" + marker + "', 'w')"
                : "touch " + marker;
        Path file = archive("evil.pth", payload(module, name, command));

        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(file));
        assertEquals("checkpoint " + file + ": refused pickle global '" + module + "." + name
                + "' (a checkpoint may only build tensors)", e.getMessage());
        assertFalse(Files.exists(marker), "nothing ran");
    }

    @Test
    void refusesStackGlobalToo() throws IOException {
        Path marker = dir.resolve("pwned-stack-global");
        byte[] pickle = new TorchPickle().op(0x80).op(4).shortUnicode("os").shortUnicode("system").op(0x93)
                .unicode("touch " + marker).op(0x85).op('R').op('.').bytes();
        Path file = archive("evil4.pth", pickle);
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(file));
        assertTrue(e.getMessage().endsWith("refused pickle global 'os.system' (a checkpoint may only build tensors)"),
                e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void refusesOpcodesTorchNeverWrites() throws IOException {
        // INST ('i'): the protocol-0 way to call a class, with no GLOBAL in sight.
        byte[] inst = "(ios\nsystem\n.".getBytes(StandardCharsets.US_ASCII);
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(archive("inst.pth", inst)));
        assertTrue(e.getMessage().endsWith("refused pickle opcode 0x69 at byte 1 (a checkpoint may only build tensors)"),
                e.getMessage());

        byte[] ext = new TorchPickle().op(0x80).op(2).op(0x82).op(1).op('.').bytes(); // EXT1: the copyreg registry
        e = assertThrows(EngineException.class, () -> Checkpoint.open(archive("ext.pth", ext)));
        assertTrue(e.getMessage().contains("refused pickle opcode 0x82 at byte 2"), e.getMessage());
    }

    @Test
    void allowedNamesCannotBeCalledOutsideTheirRole() throws IOException {
        byte[] callStorage = new TorchPickle().op(0x80).op(2).global("torch", "FloatStorage").op(')').op('R').op('.').bytes();
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(archive("call.pth", callStorage)));
        assertTrue(e.getMessage().contains("'torch.FloatStorage' cannot be called"), e.getMessage());
    }

    @Test
    void unknownStorageClassIsNamed() throws IOException {
        byte[] doubles = TorchPickle.stateDict(List.of(TorchPickle.Spec.contiguous("w", "DoubleStorage", "0", 4)));
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(archive("f64.pth", doubles)));
        assertTrue(e.getMessage().endsWith("unsupported storage class or dtype 'torch.DoubleStorage' "
                + "(only float32, bfloat16 and float16 tensors can be read)"), e.getMessage());

        // An allowed global in the storage-class slot of a persistent id.
        byte[] notAStorage = new String(TorchPickle.stateDict(List.of(TorchPickle.Spec.contiguous("w", "FloatStorage", "0", 4))),
                StandardCharsets.ISO_8859_1).replace("torch\nFloatStorage\n", "collections\nOrderedDict\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        e = assertThrows(EngineException.class, () -> Checkpoint.open(archive("odd.pth", notAStorage)));
        assertTrue(e.getMessage().contains("unknown storage class 'collections.OrderedDict'"), e.getMessage());
    }

    @Test
    void boundsHostileSizes() throws IOException {
        // A string claiming 2 GB in a tiny pickle: refused before any allocation.
        byte[] hugeString = new TorchPickle().op(0x80).op(2).op('X').le(0x7fffffffL, 4).op('.').bytes();
        assertMalformed(hugeString, "ends in the middle of an opcode");

        byte[] deepMarks = new byte[RestrictedUnpickler.MAX_MARK_DEPTH + 10];
        java.util.Arrays.fill(deepMarks, (byte) '(');
        assertMalformed(deepMarks, "marks nested too deeply");

        byte[] tallStack = new byte[RestrictedUnpickler.MAX_STACK + 10];
        java.util.Arrays.fill(tallStack, (byte) 'N');
        assertMalformed(tallStack, "stack grows too deep");

        TorchPickle memo = new TorchPickle().op('N');
        for (long i = 0; i <= RestrictedUnpickler.MAX_MEMO; i++) memo.op('r').le(i, 4);
        assertMalformed(memo.bytes(), "memo grows too large");

        assertMalformed(new TorchPickle().op(0x80).op(2).op(0x8a).op(200).bytes(), "integer of 200 bytes");
        assertMalformed(new TorchPickle().op(0x80).op(2).op('h').op(7).bytes(), "memo entry 7 is read before");
        assertMalformed(new TorchPickle().op(0x80).op(2).op('}').bytes(), "ends without a STOP");
        assertMalformed(new TorchPickle().op(0x80).op(2).op('s').bytes(), "stack underflows");
        assertMalformed(new TorchPickle().op(0x80).op(2).op('N').op('.').bytes(), "data.pkl holds None, not a dict of tensors");
    }

    @Test
    void refusesAnOversizedPickle() throws IOException {
        byte[] huge = new byte[17 << 20];
        java.util.Arrays.fill(huge, (byte) 'N');
        Path file = archive("huge.pth", huge);
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(file));
        assertEquals("checkpoint " + file + ": data.pkl is " + huge.length + " bytes, too large for a state_dict",
                e.getMessage());
    }

    void assertMalformed(byte[] pickle, String detail) throws IOException {
        Path file = archive("bad.pth", pickle);
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(file));
        assertTrue(e.getMessage().startsWith("checkpoint " + file + ": malformed pickle in data.pkl ("), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }
}
