/*
 * Maps webc-bootsafe-select's pages in a few system calls before NativeAOT's start-up touches them
 * one fault at a time (bench/select/README.md, issue 17: a third of a select's CPU time was page
 * faults, 500 of them, most in the rehydration of the binary's data into its zero-filled .hydrated
 * section and in the first reads of its code).
 *
 * webc-bootsafe links it with PREFAULT_WRITABLE_ONLY: its code and read-only data are 15 MB, most of
 * which a command never runs, and mapped pages count in the resident size git-fs's mount is held to
 * (bench/mount); only the zero-filled data, which rehydration writes whole anyway, is populated.
 *
 * Runs as an ELF constructor, before main and so before rehydration. Only advice: on a kernel
 * without MADV_POPULATE_* (before 5.14) madvise fails with EINVAL and the pages fault in as before.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static void populate(uintptr_t start, uintptr_t end, uintptr_t page, int advice)
{
    start &= ~(page - 1);
    end = (end + page - 1) & ~(page - 1);
    if (end > start)
        madvise((void *)start, end - start, advice);
}

static int populate_executable(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type != PT_LOAD)
            continue;
        uintptr_t base = info->dlpi_addr + p->p_vaddr;
        if (!(p->p_flags & PF_W)) {
#ifndef PREFAULT_WRITABLE_ONLY
            /* Code and read-only data: already in the page cache (the initramfs is in RAM). */
            populate(base, base + p->p_filesz, page, MADV_POPULATE_READ);
#endif
        } else if (p->p_memsz > p->p_filesz) {
            /* Zero-filled data (.bss, .hydrated), all of which rehydration writes. The file-backed
             * part before it is left alone: part of it becomes read-only after relocation. */
            populate((base + p->p_filesz + page - 1) & ~(page - 1), base + p->p_memsz, page, MADV_POPULATE_WRITE);
        }
    }
    return 1; /* the first object is the executable itself */
}

__attribute__((constructor)) static void prefault(void)
{
    dl_iterate_phdr(populate_executable, NULL);
}
