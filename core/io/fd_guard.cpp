// Standard-descriptor hygiene (see fd_guard.h).
#include "core/io/fd_guard.h"

#include <fcntl.h>
#include <unistd.h>

namespace hyco {

void ensure_std_fds_open() {
    for (int fd = 0; fd <= 2; ++fd) {
        if (fcntl(fd, F_GETFD) != -1) continue;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
}

FdFlagsGuard::FdFlagsGuard(std::vector<int> fds) {
    for (int fd : fds) {
        int flags = fcntl(fd, F_GETFL);
        if (flags != -1) saved_.push_back({fd, flags});
    }
}

FdFlagsGuard::~FdFlagsGuard() { restore(); }

void FdFlagsGuard::restore() const {
    for (const Saved& s : saved_) fcntl(s.fd, F_SETFL, s.flags);
}

bool set_nonblocking(int fd, bool on) {
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1) return false;
    int want = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    return want == flags || fcntl(fd, F_SETFL, want) == 0;
}

}  // namespace hyco
