// Unix hygiene for the standard descriptors: make sure 0/1/2 are open, and
// put back the file status flags (O_NONBLOCK) that adopting them into the
// event loop changes, on every way out of the process.
#pragma once

#include <vector>

namespace hyco {

/// Opens /dev/null on any of fds 0, 1, 2 that is closed, so that no socket
/// or pipe the tool creates later can land on a standard descriptor.
void ensure_std_fds_open();

/// Saves F_GETFL of the given descriptors and restores it when destroyed
/// (or on restore()). The flags live in the open file description, which the
/// parent shell or terminal shares, so leaving O_NONBLOCK set breaks them.
class FdFlagsGuard {
public:
    explicit FdFlagsGuard(std::vector<int> fds);
    ~FdFlagsGuard();
    FdFlagsGuard(const FdFlagsGuard&) = delete;
    FdFlagsGuard& operator=(const FdFlagsGuard&) = delete;

    void restore() const;

private:
    struct Saved {
        int fd;
        int flags;
    };
    std::vector<Saved> saved_;
};

/// Sets or clears O_NONBLOCK; false on failure.
bool set_nonblocking(int fd, bool on);

}  // namespace hyco
