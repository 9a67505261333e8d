// WASI preview 1 file-system corners, checked against what wasmtime answers (its preview1 test
// programs). Run with one preopened directory (fd 3) that the host prepared as
// WasiFileSystemTest does: sub/file.txt ("inside"), and links leading out of it:
// abs-link (absolute target), rel-link (../outside/secret.txt), dir-link (absolute directory),
// sub/up ("../.."), loop1 <-> loop2, inside-link (sub/file.txt).
// Prints "ok NAME" or "FAIL NAME: got X want Y" per check; exits with the number of failures.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int failures;

static void check(const char *name, long got, long want) {
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld want %ld\n", name, got, want);
        failures++;
    }
}

static const __wasi_fd_t DIR = 3;
static const __wasi_rights_t RW = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE;

static __wasi_errno_t open_at(__wasi_fd_t dir, const char *path, __wasi_lookupflags_t lookup,
                              __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_fdflags_t fdflags,
                              __wasi_fd_t *fd) {
    return __wasi_path_open(dir, lookup, path, oflags, rights, rights, fdflags, fd);
}

static __wasi_errno_t open_follow(const char *path, __wasi_oflags_t oflags, __wasi_fd_t *fd) {
    return open_at(DIR, path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, oflags, RW, 0, fd);
}

static long put(__wasi_fd_t fd, const char *s) {
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_fd_write(fd, &iov, 1, &n);
    return e ? -(long)e : (long)n;
}

static long pput(__wasi_fd_t fd, const char *s, __wasi_filesize_t at) {
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_fd_pwrite(fd, &iov, 1, at, &n);
    return e ? -(long)e : (long)n;
}

/** The whole file at path (read through a fresh descriptor) or "" */
static const char *contents(const char *path) {
    static char buf[256];
    __wasi_fd_t fd;
    buf[0] = 0;
    if (open_at(DIR, path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, __WASI_RIGHTS_FD_READ, 0, &fd)) return "<cannot open>";
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    __wasi_fd_pread(fd, &iov, 1, 0, &n);
    buf[n] = 0;
    __wasi_fd_close(fd);
    return buf;
}

static void check_text(const char *name, const char *path, const char *want) {
    const char *got = contents(path);
    if (strcmp(got, want) == 0) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got \"%s\" want \"%s\"\n", name, got, want);
        failures++;
    }
}

static long size_of(const char *path, __wasi_lookupflags_t lookup, long *type) {
    __wasi_filestat_t st;
    __wasi_errno_t e = __wasi_path_filestat_get(DIR, lookup, path, &st);
    if (e) return -(long)e;
    if (type) *type = st.filetype;
    return (long)st.size;
}

static long fd_size(__wasi_fd_t fd) {
    __wasi_filestat_t st;
    __wasi_errno_t e = __wasi_fd_filestat_get(fd, &st);
    return e ? -(long)e : (long)st.size;
}

static void append_flags(void) {
    __wasi_fd_t fd;
    check("append: open", open_follow("append.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, &fd), 0);
    check("append: write ab", put(fd, "ab"), 2);
    check("append: fd_fdstat_set_flags(APPEND)", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0);
    __wasi_fdstat_t st;
    __wasi_fd_fdstat_get(fd, &st);
    check("append: fdstat shows APPEND", st.fs_flags, __WASI_FDFLAGS_APPEND);
    __wasi_filesize_t pos;
    __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
    check("append: write after seek 0", put(fd, "cd"), 2);
    check_text("append: write landed at the end", "append.txt", "abcd");
    check("append: fd_fdstat_set_flags(0)", __wasi_fd_fdstat_set_flags(fd, 0), 0);
    __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
    put(fd, "X");
    check_text("append: cleared, write at the offset", "append.txt", "Xbcd");
    __wasi_fd_close(fd);

    check("pwrite+O_APPEND: open", open_at(DIR, "append2.txt", 0, __WASI_OFLAGS_CREAT, RW, __WASI_FDFLAGS_APPEND, &fd), 0);
    check("pwrite+O_APPEND: pwrite at 50", pput(fd, "1", 50), 1);
    check("pwrite+O_APPEND: size 1 (offset ignored)", fd_size(fd), 1);
    check("pwrite+O_APPEND: pwrite at 0", pput(fd, "2", 0), 1);
    check("pwrite+O_APPEND: size 2", fd_size(fd), 2);
    check_text("pwrite+O_APPEND: appended", "append2.txt", "12");
    __wasi_filesize_t tell = 99;
    __wasi_fd_tell(fd, &tell);
    check("pwrite+O_APPEND: position unchanged", (long)tell, 0);
    __wasi_fd_close(fd);
}

static void links(void) {
    __wasi_fd_t fd;
    open_follow("orig.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, &fd);
    put(fd, "hello");
    __wasi_fd_close(fd);
    check("path_link", __wasi_path_link(DIR, 0, "orig.txt", DIR, "hard.txt"), 0);
    __wasi_filestat_t st;
    __wasi_path_filestat_get(DIR, 0, "hard.txt", &st);
    check("path_link: nlink 2", (long)st.nlink, 2);
    check_text("path_link: same contents", "hard.txt", "hello");
    check("path_link: onto existing", __wasi_path_link(DIR, 0, "orig.txt", DIR, "hard.txt"), __WASI_ERRNO_EXIST);
    check("path_link: missing source", __wasi_path_link(DIR, 0, "nope", DIR, "x"), __WASI_ERRNO_NOENT);
    __wasi_path_create_directory(DIR, "ldir");
    check("path_link: a directory", __wasi_path_link(DIR, 0, "ldir", DIR, "ldir2"), __WASI_ERRNO_PERM);
    check("path_link: trailing slash on target", __wasi_path_link(DIR, 0, "orig.txt", DIR, "new/"), __WASI_ERRNO_NOENT);
    check("path_link: out of the sandbox", __wasi_path_link(DIR, 0, "orig.txt", DIR, "../x"), __WASI_ERRNO_NOTCAPABLE);
    check("path_link: from outside", __wasi_path_link(DIR, 0, "rel-link/..", DIR, "y"), __WASI_ERRNO_NOTCAPABLE);
    __wasi_path_remove_directory(DIR, "ldir");
}

static void renames(void) {
    __wasi_fd_t fd;
    open_follow("a.txt", __WASI_OFLAGS_CREAT, &fd); put(fd, "A"); __wasi_fd_close(fd);
    open_follow("b.txt", __WASI_OFLAGS_CREAT, &fd); put(fd, "B"); __wasi_fd_close(fd);
    check("rename: file to new name", __wasi_path_rename(DIR, "a.txt", DIR, "c.txt"), 0);
    check("rename: source gone", size_of("a.txt", 0, NULL), -__WASI_ERRNO_NOENT);
    check("rename: file over file", __wasi_path_rename(DIR, "c.txt", DIR, "b.txt"), 0);
    check_text("rename: replaced contents", "b.txt", "A");
    __wasi_path_create_directory(DIR, "d1");
    __wasi_path_create_directory(DIR, "d2");
    __wasi_path_create_directory(DIR, "full");
    open_follow("full/f", __WASI_OFLAGS_CREAT, &fd); __wasi_fd_close(fd);
    check("rename: file over directory", __wasi_path_rename(DIR, "b.txt", DIR, "d1"), __WASI_ERRNO_ISDIR);
    check("rename: directory over file", __wasi_path_rename(DIR, "d1", DIR, "b.txt"), __WASI_ERRNO_NOTDIR);
    check("rename: directory over empty directory", __wasi_path_rename(DIR, "d1", DIR, "d2"), 0);
    check("rename: directory over non-empty", __wasi_path_rename(DIR, "d2", DIR, "full"), __WASI_ERRNO_NOTEMPTY);
    check("rename: file with trailing slash", __wasi_path_rename(DIR, "b.txt/", DIR, "e.txt"), __WASI_ERRNO_NOTDIR);
    check("rename: file to trailing slash", __wasi_path_rename(DIR, "b.txt", DIR, "e.txt/"), __WASI_ERRNO_NOTDIR);
    check("rename: file, both slashes", __wasi_path_rename(DIR, "b.txt/", DIR, "e.txt/"), __WASI_ERRNO_NOTDIR);
    check("rename: directory with trailing slash", __wasi_path_rename(DIR, "d2/", DIR, "d3"), 0);
    check("rename: directory to trailing slash", __wasi_path_rename(DIR, "d3", DIR, "d4/"), 0);
    check("rename: directory, both slashes", __wasi_path_rename(DIR, "d4/", DIR, "d5/"), 0);
    check("rename: into itself", __wasi_path_rename(DIR, "full", DIR, "full/inner"), __WASI_ERRNO_INVAL);
    check("rename: out of the sandbox", __wasi_path_rename(DIR, "b.txt", DIR, "dir-link/stolen"), __WASI_ERRNO_NOTCAPABLE);
    check("rename: up and out", __wasi_path_rename(DIR, "b.txt", DIR, "../stolen"), __WASI_ERRNO_NOTCAPABLE);
}

static void symlinks(void) {
    check("symlink: target/ not existing", __wasi_path_symlink("source", DIR, "target/"), __WASI_ERRNO_NOENT);
    __wasi_path_create_directory(DIR, "target");
    check("symlink: target/ existing dir", __wasi_path_symlink("source", DIR, "target/"), __WASI_ERRNO_EXIST);
    check("symlink: target existing dir", __wasi_path_symlink("source", DIR, "target"), __WASI_ERRNO_EXIST);
    __wasi_path_remove_directory(DIR, "target");
    check("symlink: absolute target refused", __wasi_path_symlink("/etc/passwd", DIR, "abs"), __WASI_ERRNO_NOTCAPABLE);
    check("symlink: relative", __wasi_path_symlink("orig.txt", DIR, "sl"), 0);
    long type = -1;
    check("filestat nofollow: size of the link", size_of("sl", 0, &type), 8);
    check("filestat nofollow: a symlink", type, __WASI_FILETYPE_SYMBOLIC_LINK);
    check("filestat follow: size of the file", size_of("sl", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, &type), 5);
    check("filestat follow: a regular file", type, __WASI_FILETYPE_REGULAR_FILE);
    char buf[64] = {0};
    __wasi_size_t used = 0;
    check("readlink", __wasi_path_readlink(DIR, "sl", (uint8_t *)buf, sizeof buf, &used), 0);
    check("readlink: the link's own text", strcmp(buf, "orig.txt") == 0 && used == 8, 1);
    check("readlink: not a link", __wasi_path_readlink(DIR, "orig.txt", (uint8_t *)buf, sizeof buf, &used), __WASI_ERRNO_INVAL);
    check("unlink: the link, not the file", __wasi_path_unlink_file(DIR, "sl"), 0);
    check("unlink: file still there", size_of("orig.txt", 0, NULL), 5);
}

static void rights(void) {
    __wasi_fd_t fd;
    check("rights: open read-only", open_at(DIR, "orig.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, &fd), 0);
    check("rights: write is ENOTCAPABLE", put(fd, "x"), -__WASI_ERRNO_NOTCAPABLE);
    check("rights: cannot gain FD_WRITE", __wasi_fd_fdstat_set_rights(fd, RW, 0), __WASI_ERRNO_NOTCAPABLE);
    __wasi_fdstat_t st;
    __wasi_fd_fdstat_get(fd, &st);
    check("rights: fdstat shows read only", (long)(st.fs_rights_base & RW), __WASI_RIGHTS_FD_READ);
    check("rights: drop FD_READ", __wasi_fd_fdstat_set_rights(fd, 0, 0), 0);
    char b[4];
    __wasi_iovec_t iov = {(uint8_t *)b, sizeof b};
    __wasi_size_t n;
    check("rights: read after dropping it", __wasi_fd_read(fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    check("rights: and cannot get it back", __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0), __WASI_ERRNO_NOTCAPABLE);
    __wasi_fd_close(fd);
    check_text("rights: file unchanged", "orig.txt", "hello");

    __wasi_fd_t dir;
    __wasi_path_create_directory(DIR, "narrow");
    check("rights: directory with read-only inheriting",
          __wasi_path_open(DIR, 0, "narrow", __WASI_OFLAGS_DIRECTORY,
                           __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE, __WASI_RIGHTS_FD_READ, 0, &dir), 0);
    check("rights: file under it gets no FD_WRITE", open_at(dir, "f", 0, __WASI_OFLAGS_CREAT, RW, 0, &fd), 0);
    check("rights: so writing is ENOTCAPABLE", put(fd, "x"), -__WASI_ERRNO_NOTCAPABLE);
    __wasi_fd_close(fd);
    check("rights: no PATH_CREATE_DIRECTORY", __wasi_path_create_directory(dir, "x"), __WASI_ERRNO_NOTCAPABLE);
    check("rights: directory cannot widen", __wasi_fd_fdstat_set_rights(dir, __WASI_RIGHTS_PATH_CREATE_DIRECTORY, 0), __WASI_ERRNO_NOTCAPABLE);
    __wasi_fd_close(dir);
}

static void escapes(void) {
    __wasi_fd_t fd;
    check("escape: absolute path", open_follow("/etc/passwd", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: ..", open_follow("../outside/secret.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: sub/../..", open_follow("sub/../../outside/secret.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: absolute symlink", open_follow("abs-link", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: relative symlink", open_follow("rel-link", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: symlinked directory", open_follow("dir-link/secret.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: create through it", open_follow("dir-link/new.txt", __WASI_OFLAGS_CREAT, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: sub/up (../..)", open_follow("sub/up/outside/secret.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("escape: mkdir through it", __wasi_path_create_directory(DIR, "dir-link/evil"), __WASI_ERRNO_NOTCAPABLE);
    check("escape: unlink through it", __wasi_path_unlink_file(DIR, "dir-link/secret.txt"), __WASI_ERRNO_NOTCAPABLE);
    check("escape: stat through it", size_of("abs-link", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, NULL), -__WASI_ERRNO_NOTCAPABLE);
    check("escape: symlink loop", open_follow("loop1", 0, &fd), __WASI_ERRNO_LOOP);
    check("escape: loop, not followed", open_at(DIR, "loop1", 0, 0, RW, 0, &fd), __WASI_ERRNO_LOOP);
    check("escape: guest-made link out", __wasi_path_symlink("../outside/secret.txt", DIR, "made"), 0);
    check("escape: cannot be followed", open_follow("made", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check_text("escape: an inside link works", "inside-link", "inside");

    // A directory descriptor whose directory the guest swaps for a symlink after opening it.
    __wasi_fd_t sub;
    check("swap: open sub", open_at(DIR, "swapped", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN, __WASI_RIGHTS_FD_READ, &sub), 0);
    check("swap: rename it away", __wasi_path_rename(DIR, "swapped", DIR, "swapped-away"), 0);
    check("swap: link in its place", __wasi_path_symlink("dir-link", DIR, "swapped"), 0);
    check("swap: old descriptor does not follow", open_at(sub, "secret.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    check("swap: nor does .. from it", open_at(sub, "..", 0, 0, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
}

static void sockets(void) {
    __wasi_fd_t fd;
    check("sock_accept: a directory is not a socket", __wasi_sock_accept(DIR, 0, &fd), __WASI_ERRNO_NOTSOCK);
    check("sock_accept: no such descriptor", __wasi_sock_accept(99, 0, &fd), __WASI_ERRNO_BADF);
    uint8_t b[4];
    __wasi_iovec_t iov = {b, sizeof b};
    __wasi_size_t n;
    __wasi_roflags_t flags;
    check("sock_recv: stdin is not a socket", __wasi_sock_recv(0, &iov, 1, 0, &n, &flags), __WASI_ERRNO_NOTSOCK);
}

int main(void) {
    __wasi_prestat_t pre;
    check("fd 3 is the preopen", __wasi_fd_prestat_get(DIR, &pre), 0);
    append_flags();
    links();
    renames();
    symlinks();
    rights();
    escapes();
    sockets();
    printf("%d failures\n", failures);
    return failures;
}
