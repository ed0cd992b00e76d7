/* Test helper, preloaded into a CLI or an interpreter by the --threads /
   threads= checks (tests/cli/test_threads.sh, tests/python/test_threads.py,
   tests/lua/test_threads.lua): counts the threads the process starts and,
   at exit, appends to the file named by $JQL_COUNT_THREADS_FILE a line
   "STARTED HELD": the threads started, and how many of them were started by
   a thread holding Python's GIL (PyGILState_Check(), when the process is a
   Python interpreter; 0 otherwise). The output of a scoring is the same
   bytes whatever its number of threads, so this is how a test sees that the
   number asked for reached the library, and that the binding released the
   GIL around the scoring that started them. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned started, held;

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    static int (*gil_check)(void);
    if (!real) {
        *(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
        *(void **)&gil_check = dlsym(RTLD_DEFAULT, "PyGILState_Check");
    }
    if (!real)
        return 11; /* EAGAIN: no thread to be had */
    int gil = gil_check && gil_check();
    int rc = real(thread, attr, fn, arg);
    if (rc == 0) {
        __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
        if (gil)
            __atomic_add_fetch(&held, 1, __ATOMIC_SEQ_CST);
    }
    return rc;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("JQL_COUNT_THREADS_FILE");
    FILE *fp = path && *path ? fopen(path, "a") : NULL;
    if (fp) {
        fprintf(fp, "%u %u\n", __atomic_load_n(&started, __ATOMIC_SEQ_CST),
                __atomic_load_n(&held, __ATOMIC_SEQ_CST));
        fclose(fp);
    }
}
