#define _GNU_SOURCE
#include "maxhub_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

int maxhub_spawn(pid_t *pid, char *const argv[], char *const envp[], const char *directory, int output_fd, int new_session) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int status = posix_spawn_file_actions_init(&actions);
    if (status != 0) return status;
    status = posix_spawnattr_init(&attributes);
    if (status != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return status;
    }
    sigset_t defaults, empty;
    sigfillset(&defaults);
    sigemptyset(&empty);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (new_session ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP);
    if ((status = posix_spawnattr_setflags(&attributes, flags)) == 0
        && (status = posix_spawnattr_setsigdefault(&attributes, &defaults)) == 0
        && (status = posix_spawnattr_setsigmask(&attributes, &empty)) == 0
        && (new_session || (status = posix_spawnattr_setpgroup(&attributes, 0)) == 0)
        && (status = posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)) == 0
        && (status = posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO)) == 0
        && (status = posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO)) == 0
        && (status = posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1)) == 0
        && (directory == NULL || (status = posix_spawn_file_actions_addchdir_np(&actions, directory)) == 0)) {
        status = posix_spawnp(pid, argv[0], &actions, &attributes, argv, envp);
    }
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return status;
}
