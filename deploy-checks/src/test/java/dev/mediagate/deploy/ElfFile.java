package dev.mediagate.deploy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the dynamic loader reads from a 64-bit little-endian ELF shared object (x86_64 and arm64 Linux): its
 * {@code SONAME}, the libraries it {@code NEEDED}s, the symbol versions it needs from each ({@code .gnu.version_r}) and
 * those it defines ({@code .gnu.version_d}). Read from the section headers, as {@code readelf -d -V} shows them.
 */
record ElfFile(Path path, Machine machine, Optional<String> soname, List<String> needed, List<VersionNeed> versionsNeeded,
        Set<String> versionsDefined) {

    /** One library and the symbol versions needed from it, e.g. {@code libc.so.6}: {@code GLIBC_2.17, GLIBC_2.28}. */
    record VersionNeed(String library, List<String> versions) {
    }

    /** The instruction set ({@code e_machine}). */
    enum Machine { X86_64, AARCH64, OTHER }

    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final long DT_NEEDED = 1;
    private static final long DT_SONAME = 14;

    /** Whether the file starts with ELF's magic bytes. */
    static boolean isElf(Path path) throws IOException {
        if (!Files.isRegularFile(path) || Files.size(path) < 4) {
            return false;
        }
        try (var in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            return magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }

    static ElfFile read(Path path) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.get(4) != 2 || elf.get(5) != 1) {
            throw new IllegalArgumentException(path + " is not a 64-bit little-endian ELF file");
        }
        Machine machine = switch (Short.toUnsignedInt(elf.getShort(0x12))) {
            case 0x3E -> Machine.X86_64;
            case 0xB7 -> Machine.AARCH64;
            default -> Machine.OTHER;
        };
        long sectionHeaders = elf.getLong(0x28);
        int entrySize = Short.toUnsignedInt(elf.getShort(0x3A));
        int count = Short.toUnsignedInt(elf.getShort(0x3C));
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = Math.toIntExact(sectionHeaders + (long) i * entrySize);
            sections.add(new Section(elf.getInt(at + 4), elf.getLong(at + 0x18), elf.getLong(at + 0x20), elf.getInt(at + 0x28),
                    elf.getInt(at + 0x2C)));
        }
        Optional<String> soname = Optional.empty();
        List<String> needed = new ArrayList<>();
        List<VersionNeed> versionsNeeded = new ArrayList<>();
        Set<String> versionsDefined = new LinkedHashSet<>();
        for (Section section : sections) {
            Section strings = section.link() < sections.size() ? sections.get(section.link()) : null;
            switch (section.type()) {
                case SHT_DYNAMIC -> {
                    for (long at = section.offset(); at + 16 <= section.offset() + section.size(); at += 16) {
                        long tag = elf.getLong(Math.toIntExact(at));
                        long value = elf.getLong(Math.toIntExact(at + 8));
                        if (tag == DT_NEEDED) {
                            needed.add(string(elf, strings, value));
                        } else if (tag == DT_SONAME) {
                            soname = Optional.of(string(elf, strings, value));
                        }
                    }
                }
                case SHT_GNU_VERNEED -> {
                    // Elf64_Verneed {vn_version, vn_cnt, vn_file, vn_aux, vn_next}, each with vn_cnt Elf64_Vernaux
                    // {vna_hash, vna_flags, vna_other, vna_name, vna_next}.
                    int at = Math.toIntExact(section.offset());
                    for (int entry = 0; entry < section.info(); entry++) {
                        int versions = Short.toUnsignedInt(elf.getShort(at + 2));
                        String library = string(elf, strings, Integer.toUnsignedLong(elf.getInt(at + 4)));
                        List<String> names = new ArrayList<>();
                        int aux = at + elf.getInt(at + 8);
                        for (int v = 0; v < versions; v++) {
                            names.add(string(elf, strings, Integer.toUnsignedLong(elf.getInt(aux + 8))));
                            aux += elf.getInt(aux + 12);
                        }
                        versionsNeeded.add(new VersionNeed(library, names));
                        at += elf.getInt(at + 12);
                    }
                }
                case SHT_GNU_VERDEF -> {
                    // Elf64_Verdef {vd_version, vd_flags, vd_ndx, vd_cnt, vd_hash, vd_aux, vd_next}; the first
                    // Elf64_Verdaux {vda_name, vda_next} names the version.
                    int at = Math.toIntExact(section.offset());
                    for (int entry = 0; entry < section.info(); entry++) {
                        int aux = at + elf.getInt(at + 12);
                        versionsDefined.add(string(elf, strings, Integer.toUnsignedLong(elf.getInt(aux))));
                        at += elf.getInt(at + 16);
                    }
                }
                default -> {
                }
            }
        }
        return new ElfFile(path, machine, soname, List.copyOf(needed), List.copyOf(versionsNeeded), Set.copyOf(versionsDefined));
    }

    private record Section(int type, long offset, long size, int link, int info) {
    }

    private static String string(ByteBuffer elf, Section table, long index) {
        if (table == null) {
            throw new IllegalArgumentException("a name without its string table");
        }
        int start = Math.toIntExact(table.offset() + index);
        int end = start;
        while (elf.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        elf.get(start, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
