#ifndef MAXHUB_PROCESS_H
#define MAXHUB_PROCESS_H

#include <sys/types.h>

/// Starts `argv[0]` (looked up on PATH) in `directory` with `envp`, standard input from /dev/null and standard output
/// and error into `output_fd`, in a process group of its own: a new session when `new_session` is non-zero (a detached
/// server outlives the terminal), else a new group (so that stopping it reaches every process it started).
/// No other descriptor is inherited (a server must not hold this process's sockets, or a pipe a caller waits on).
/// Signal dispositions and the signal mask are reset to their defaults. Returns 0 or an errno value.
int maxhub_spawn(pid_t *pid, char *const argv[], char *const envp[], const char *directory, int output_fd, int new_session);

#endif
