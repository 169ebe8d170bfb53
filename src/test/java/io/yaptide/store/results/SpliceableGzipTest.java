package io.yaptide.store.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Our stored gzip form: an ordinary gzip file for every reader, and a spliceable run for us. */
class SpliceableGzipTest {

    @Test
    void whatWeStoreIsOneOrdinaryGzipMember() throws Exception {
        byte[] text = sample(new Random(7), 300_000);
        byte[] gzip = SpliceableGzip.compress(text, 0, text.length, Payload.LEVEL);
        assertThat(StrictGunzip.decode(gzip)).isEqualTo(text);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(text); // the JDK reader (and Python's) skip the extra field
        }
    }

    @Test
    void theOriginalReadsWhatWeStoreWithPythonsGzipModule() throws Exception {
        byte[] text = sample(new Random(6), 100_000);
        byte[] gzip = SpliceableGzip.compress(text, 0, text.length, Payload.LEVEL);
        Process python = new ProcessBuilder("python3", "-c",
                "import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))").start();
        try (var in = python.getOutputStream()) {
            in.write(gzip);
        }
        byte[] decoded = python.getInputStream().readAllBytes();
        assertThat(python.waitFor()).as(new String(python.getErrorStream().readAllBytes())).isZero();
        assertThat(decoded).isEqualTo(text);
    }

    @Test
    void theRunEndsWithASyncFlushAndCarriesTheTextsCrcAndLength() {
        byte[] text = sample(new Random(8), 10_000);
        DeflateRun run = SpliceableGzip.run(SpliceableGzip.compress(text, 0, text.length, 1));
        assertThat(run).isNotNull();
        byte[] b = run.bytes();
        int end = run.offset() + run.length();
        assertThat(new byte[] {b[end - 4], b[end - 3], b[end - 2], b[end - 1]}).containsExactly(0, 0, 0xff, 0xff);
        CRC32 crc = new CRC32();
        crc.update(text);
        assertThat(run.crc()).isEqualTo((int) crc.getValue());
        assertThat(run.textLength()).isEqualTo(text.length);
    }

    @Test
    void otherGzipIsNotTakenForOurForm() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(sample(new Random(9), 1000));
        }
        assertThat(SpliceableGzip.run(out.toByteArray())).isNull();
        assertThat(SpliceableGzip.run(new byte[3])).isNull();
        byte[] ours = SpliceableGzip.compress(new byte[] {'{', '}'}, 0, 2, 1);
        ours[16] = (byte) 0xff; // a run length past the end
        assertThat(SpliceableGzip.run(ours)).isNull();
    }

    @Test
    void crcOfTwoStringsEndToEndIsCombinedFromTheirCrcs() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] a = sample(random, random.nextInt(5000));
            byte[] b = sample(random, i % 50 == 0 ? 0 : random.nextInt(70_000));
            CRC32 whole = new CRC32();
            whole.update(a);
            whole.update(b);
            assertThat(Crc32Combine.combine(crc(a), crc(b), b.length)).isEqualTo((int) whole.getValue());
        }
    }

    @Test
    void aStrictDecoderRefusesConcatenatedMembers() throws Exception {
        byte[] one = SpliceableGzip.compress(new byte[] {'[', ']'}, 0, 2, 1);
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        assertThatThrownBy(() -> StrictGunzip.decode(two)).hasMessageContaining("follow the first gzip member");
        byte[] unterminatedName = new byte[20];
        unterminatedName[0] = 0x1f;
        unterminatedName[1] = (byte) 0x8b;
        unterminatedName[2] = 8;
        unterminatedName[3] = 0x08; // FNAME, never terminated
        java.util.Arrays.fill(unterminatedName, 10, 20, (byte) 'a');
        assertThatThrownBy(() -> StrictGunzip.decode(unterminatedName)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs past the end");
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** JSON-like text: compressible, with repeats. */
    private static byte[] sample(Random random, int length) {
        byte[] bytes = new byte[length];
        String alphabet = "{}[],:\"0123456789.eE-abcdefghij ";
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) alphabet.charAt(random.nextInt(random.nextInt(alphabet.length()) + 1));
        }
        return bytes;
    }
}
