/* Test helper, preloaded into a CLI or an interpreter by the --threads /
   threads= checks (tests/cli/test_threads.sh, tests/python/test_threads.py,
   tests/lua/test_threads.lua): counts the threads the process starts and,
   at exit, appends the count as a line to the file named by
   $JQL_COUNT_THREADS_FILE. The output of a scoring is the same bytes
   whatever its number of threads, so this is how a test sees that the
   number asked for reached the library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned started;

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
    if (!real)
        return 11; /* EAGAIN: no thread to be had */
    int rc = real(thread, attr, fn, arg);
    if (rc == 0)
        __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    return rc;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("JQL_COUNT_THREADS_FILE");
    FILE *fp = path && *path ? fopen(path, "a") : NULL;
    if (fp) {
        fprintf(fp, "%u\n", __atomic_load_n(&started, __ATOMIC_SEQ_CST));
        fclose(fp);
    }
}
