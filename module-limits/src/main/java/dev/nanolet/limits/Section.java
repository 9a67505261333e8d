package dev.nanolet.limits;

/** Section ids of the binary format (core spec 5.5.2) and their names for messages. */
final class Section {

    static final int CUSTOM = 0;
    static final int TYPE = 1;
    static final int IMPORT = 2;
    static final int FUNCTION = 3;
    static final int TABLE = 4;
    static final int MEMORY = 5;
    static final int GLOBAL = 6;
    static final int EXPORT = 7;
    static final int ELEMENT = 9;
    static final int CODE = 10;
    static final int DATA = 11;
    static final int DATA_COUNT = 12;

    private static final String[] NAMES = {
        "custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code",
        "data", "data count", "tag"
    };

    private Section() {}

    static String name(int id) {
        return id < NAMES.length ? "the " + NAMES[id] : "section " + id + ", an unknown";
    }
}
