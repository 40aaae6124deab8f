// azbridge's connection preamble and datagram framing (see azbridge.h).
// AzbridgeStream wraps a relay stream in either role: as a sender it asks
// for a port before reporting the stream open; as a listener it reads the
// question, answers it, and only then is handed to the server with the
// forward it chose. Afterwards it passes everything through, adding or
// taking off the 2-byte lengths of datagram mode.
#include "tools/hyco-pipe/azbridge.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "core/base/lifetime.h"
#include "tools/hyco-pipe/relay_endpoint.h"
#include "core/relay/relay_stream.h"

namespace hyco::pipe {
namespace {

constexpr unsigned char kMajor = 1;
constexpr unsigned char kMinor = 0;

struct Forward {
    std::string name;
    const Address* address;
};

std::string hex3(std::string_view b) {
    return fmt::format("{:02x} {:02x} {:02x}", static_cast<unsigned char>(b[0]), static_cast<unsigned char>(b[1]),
                       static_cast<unsigned char>(b[2]));
}

class AzbridgeStream final : public Stream, private Stream::Events {
public:
    /// Listener role: `decided` hands the stream on (a forward) or gives it up (null).
    using Decided = std::function<void(AzbridgeStream&, const Forward*)>;

    /// Sender role.
    AzbridgeStream(EventLoop& loop, std::unique_ptr<Stream> inner, std::string name, bool datagram)
        : loop_(loop), inner_(std::move(inner)), sender_(true), name_(std::move(name)), datagram_(datagram) {}
    /// Listener role.
    AzbridgeStream(EventLoop& loop, std::unique_ptr<Stream> inner, const std::vector<Forward>& forwards,
                   const Log& log, Decided decided)
        : loop_(loop), inner_(std::move(inner)), sender_(false), forwards_(&forwards), log_(&log),
          decided_(std::move(decided)) {}
    ~AzbridgeStream() override { alive_.end(); }

    /// Listener role: opens the relay connection and reads its preamble.
    void read_preamble() { inner_->open(*this); }

    void open(Stream::Events& events) override {
        outer_ = &events;
        if (sender_) return inner_->open(*this);
        loop_.defer([this, alive = alive_.token()] {
            if (!*alive) return;
            if (pending_error_) return outer_->failed(*this, *pending_error_);
            outer_->opened(*this);
        });
    }
    void write(std::string_view bytes) override {
        if (!datagram_) return inner_->write(bytes);
        // A datagram longer than a length field holds cannot come from UDP.
        std::size_t n = std::min<std::size_t>(bytes.size(), 0xffff);
        std::string framed;
        framed.reserve(n + 2);
        framed += static_cast<char>(n >> 8);
        framed += static_cast<char>(n & 0xff);
        framed.append(bytes.substr(0, n));
        inner_->write(framed);
    }
    bool writable() const override { return inner_->writable(); }
    void close_write() override { inner_->close_write(); }
    void pause(bool paused) override {
        paused_ = paused;
        if (!paused) {
            auto alive = alive_.token();
            if (!leftover_.empty()) {
                std::string rest = std::move(leftover_);
                leftover_.clear();
                pass_on(rest);
                if (!*alive) return;
            }
            if (pending_read_end_) {
                pending_read_end_ = false;
                return outer_->read_end(*this);
            }
        }
        inner_->pause(paused);
    }
    void close_read() override { inner_->close_read(); }
    void input_delivered() override { inner_->input_delivered(); }
    bool all_written() const override { return inner_->all_written(); }
    bool wants_exit_status() const override { return inner_->wants_exit_status(); }
    void end_status(eos::RemoteExit exit) override { inner_->end_status(exit); }
    bool settles_first() const override { return inner_->settles_first(); }
    void session_failed(const Error& why) override { inner_->session_failed(why); }
    std::string describe() const override {
        return fmt::format("{} (azbridge port '{}')", inner_->describe(), name_);
    }
    void finish(bool clean, std::function<void(Status)> done) override { inner_->finish(clean, std::move(done)); }

private:
    // The relay stream's events.
    void opened(Stream&) override {
        if (sender_) {
            std::string preamble{static_cast<char>(kMajor), static_cast<char>(kMinor),
                                 static_cast<char>(datagram_ ? 1 : 0), static_cast<char>(name_.size())};
            inner_->write(preamble + name_);
        }
        inner_->pause(false);
    }
    void data(Stream&, std::string_view bytes) override {
        if (ready_) {
            if (!outer_ || paused_ || !leftover_.empty()) return leftover_.append(bytes), void();
            return pass_on(bytes);
        }
        head_.append(bytes);
        if (sender_) return read_answer();
        read_question();
    }
    void read_end(Stream&) override {
        if (!ready_) return preamble_cut_short();
        if (!outer_ || paused_ || !leftover_.empty()) {
            pending_read_end_ = true;
            return;
        }
        outer_->read_end(*this);
    }
    void drained(Stream&) override {
        if (outer_ && ready_) outer_->drained(*this);
    }
    void write_end(Stream&) override {
        if (outer_ && ready_) outer_->write_end(*this);
    }
    void failed(Stream&, const Error& e) override {
        if (outer_ && (ready_ || sender_)) return outer_->failed(*this, e);
        if (ready_) {
            pending_error_ = e;
            return;
        }
        if (!sender_) give_up(fmt::format("the sender's connection failed before its preamble: {}", e.message()));
    }
    void concluded(Stream&) override {
        if (outer_ && ready_) outer_->concluded(*this);
    }

    /// Sender role: the listener's three bytes.
    void read_answer() {
        if (head_.size() < 3) return;
        std::string_view h = head_;
        unsigned char mode = datagram_ ? 1 : 0;
        if (h[0] == kMajor && h[1] == kMinor && static_cast<unsigned char>(h[2]) == mode) {
            ready_ = true;
            leftover_ = head_.substr(3);
            head_.clear();
            return outer_->opened(*this);
        }
        std::string why;
        if (h[0] == 0 && h[1] == 0 && h[2] == 0) why = "it does not speak preamble version 1.0";
        else if (h[0] == 0 && h[1] == 0 && h[2] == 1)
            why = "it is a UDP forward there, and this is a stream (use a udp address opposite)";
        else if (h[0] == 0 && h[1] == 0 && static_cast<unsigned char>(h[2]) == 255)
            why = "it is a stream forward there, and this is a datagram flow";
        else why = fmt::format("unexpected answer {}", hex3(h));
        refused(why);
    }
    void preamble_cut_short() {
        if (sender_) {
            // azbridge closes without a word when no forward has the name.
            return refused(head_.empty() ? "no such forward: the listener closed the connection without an answer"
                                         : "the listener closed the connection in the middle of its answer");
        }
        give_up("the sender ended before its preamble was complete");
    }
    void refused(const std::string& why) {
        ready_ = true;  // nothing more is read as preamble
        inner_->close_read();
        outer_->failed(*this, make_error(Exit::rejected, inner_->describe(),
                                         fmt::format("azbridge listener refused port name '{}' ({})", name_, why)));
    }

    /// Listener role: version, length byte, name; then the answer.
    void read_question() {
        if (head_.size() < 3) return;
        std::string_view h = head_;
        unsigned char mode = static_cast<unsigned char>(h[2]);
        if (!(h[0] == kMajor && h[1] == kMinor && (mode == 0 || mode == 1)))
            return refuse(std::string(3, '\0'), fmt::format("preamble {} is not azbridge's version 1.0", hex3(h)));
        if (head_.size() < 4) return;
        std::size_t len = static_cast<unsigned char>(h[3]);
        if (head_.size() < 4 + len) return;
        name_ = head_.substr(4, len);
        std::string rest = head_.substr(4 + len);
        head_.clear();
        const Forward* f = choose();
        if (!f) return refuse({}, "no forward has that name");
        bool udp = azbridge_datagram(*f->address);
        if (udp && mode != 1) return refuse({0, 0, 1}, "a stream for a UDP forward");
        if (!udp && mode == 1) return refuse({0, 0, static_cast<char>(255)}, "datagrams for a stream forward");
        datagram_ = udp;
        ready_ = true;
        leftover_ = std::move(rest);
        inner_->write(std::string{static_cast<char>(kMajor), static_cast<char>(kMinor), static_cast<char>(mode)});
        // Nothing more is read until the session's copier wants it.
        inner_->pause(true);
        decided_(*this, f);
    }
    /// azbridge's rule: a single forward takes any numeric port name.
    const Forward* choose() const {
        if (forwards_->size() == 1 && !name_.empty() &&
            std::all_of(name_.begin(), name_.end(), [](unsigned char c) { return std::isdigit(c); }))
            return &forwards_->front();
        for (const Forward& f : *forwards_)
            if (f.name == name_) return &f;
        return nullptr;
    }
    void refuse(std::string answer, const std::string& why) {
        log_->warn(fmt::format("{}: azbridge sender refused{}: {}", inner_->describe(),
                               name_.empty() ? std::string() : fmt::format(" for port name '{}'", name_), why));
        ready_ = true;
        if (!answer.empty()) inner_->write(answer);
        inner_->close_write();
        inner_->close_read();
        inner_->finish(true, [this, alive = alive_.token()](Status) {
            if (*alive) decided_(*this, nullptr);
        });
    }
    void give_up(const std::string& why) {
        log_->warn(fmt::format("{}: {}", inner_->describe(), why));
        ready_ = true;
        inner_->finish(false, [this, alive = alive_.token()](Status) {
            if (*alive) decided_(*this, nullptr);
        });
    }

    /// Relay bytes out to the session: as they are, or one datagram per frame.
    void pass_on(std::string_view bytes) {
        if (!datagram_) return outer_->data(*this, bytes);
        frames_.append(bytes);
        std::size_t at = 0;
        auto alive = alive_.token();
        while (*alive && frames_.size() - at >= 2) {
            std::size_t n = (static_cast<unsigned char>(frames_[at]) << 8) | static_cast<unsigned char>(frames_[at + 1]);
            if (frames_.size() - at - 2 < n) break;
            std::string d = frames_.substr(at + 2, n);
            at += 2 + n;
            outer_->data(*this, d);
        }
        if (*alive) frames_.erase(0, at);
    }

    EventLoop& loop_;
    std::unique_ptr<Stream> inner_;
    bool sender_;
    std::string name_;
    bool datagram_ = false;
    const std::vector<Forward>* forwards_ = nullptr;
    const Log* log_ = nullptr;
    Decided decided_;
    Stream::Events* outer_ = nullptr;
    /// Listener role: the forward's address (the configuration's, which
    /// outlives the acceptor and its list of forwards).
    std::string head_;      ///< preamble bytes so far
    std::string leftover_;  ///< stream bytes that came with the preamble or before the session wanted them
    std::string frames_;    ///< datagram mode: an incomplete frame
    bool ready_ = false;    ///< the preamble is over (accepted or refused)
    bool paused_ = true;
    bool pending_read_end_ = false;
    std::optional<Error> pending_error_;
    Lifetime alive_;
};

class AzbridgeAcceptor final : public Acceptor {
public:
    AzbridgeAcceptor(EventLoop& loop, const Log& log, std::vector<Forward> forwards, Accepted accepted)
        : loop_(loop), log_(log), forwards_(std::move(forwards)), accepted_(std::move(accepted)) {}
    ~AzbridgeAcceptor() override { alive_.end(); }

    void set_inner(std::unique_ptr<Acceptor> inner) { inner_ = std::move(inner); }
    void pause(bool paused) override { inner_->pause(paused); }
    std::string describe() const override { return inner_->describe(); }

    void incoming(std::unique_ptr<Stream> stream, const std::string& peer) {
        // HTTP requests to the entity carry no preamble: the default forward serves them.
        if (!dynamic_cast<RelayStream*>(stream.get())) return accepted_(std::move(stream), peer, nullptr);
        std::uint64_t id = next_++;
        auto s = std::make_unique<AzbridgeStream>(
            loop_, std::move(stream), forwards_, log_,
            [this, id, peer, alive = alive_.token()](AzbridgeStream&, const Forward* f) {
                if (!*alive) return;
                // Not inside the stream's own callback: hand on or free it next turn.
                loop_.defer([this, id, peer, f, alive] {
                    if (!*alive) return;
                    auto it = pending_.find(id);
                    if (it == pending_.end()) return;
                    std::unique_ptr<Stream> ready = std::move(it->second);
                    pending_.erase(it);
                    if (f) accepted_(std::move(ready), peer, f->address);
                });
            });
        AzbridgeStream* raw = s.get();
        pending_.emplace(id, std::move(s));
        raw->read_preamble();
    }

private:
    EventLoop& loop_;
    const Log& log_;
    std::vector<Forward> forwards_;
    Accepted accepted_;
    std::unique_ptr<Acceptor> inner_;
    std::map<std::uint64_t, std::unique_ptr<Stream>> pending_;  ///< reading their preamble
    std::uint64_t next_ = 1;
    Lifetime alive_;
};

}  // namespace

bool azbridge_datagram(const Address& a) { return a.is_udp(); }

Result<std::string> azbridge_port_name(const Address& relay, const Address* other) {
    if (!relay.port_name.empty()) return relay.port_name;
    bool listener = relay.kind == AddressKind::relay_listen;
    bool fits = other && other->port != 0 &&
                (listener ? (other->kind == AddressKind::tcp || other->kind == AddressKind::udp)
                          : (other->kind == AddressKind::tcp_listen || other->kind == AddressKind::udp_listen));
    if (!fits)
        return make_error(Exit::usage, fmt::format("address '{}'", relay.text),
                          listener ? "name the forward: azbridge=NAME (only a tcp: or udp: target has a default)"
                                   : "name the port: azbridge=NAME (only a tcp-listen: or udp-listen: address with a "
                                     "fixed port has a default)");
    return fmt::format("{}{}", other->port, other->is_udp() ? "U" : "");
}

Status check_azbridge(const Address& first, const Address& second) {
    for (const Address* a : {&first, &second}) {
        if (!a->azbridge) continue;
        const Address& other = a == &first ? second : first;
        auto name = azbridge_port_name(*a, &other);
        if (!name) return name.error();
        if (a->kind == AddressKind::relay_listen && (other.listens() || other.kind == AddressKind::stdio))
            return make_error(Exit::usage, fmt::format("address '{}'", a->text),
                              fmt::format("the forward '{}' must connect somewhere", other.text));
        for (const Address& f : a->forwards) {
            if (f.port_name == *name)
                return make_error(Exit::usage, fmt::format("address '{}'", a->text),
                                  fmt::format("two forwards are named '{}'", f.port_name));
            if (f.kind == AddressKind::relay_connect && f.azbridge && f.port_name.empty())
                return make_error(Exit::usage, fmt::format("address '{}'", f.text), "name the port: azbridge=NAME");
        }
    }
    return {};
}

std::unique_ptr<Stream> make_azbridge_connect(EventLoop& loop, std::unique_ptr<Stream> relay, std::string name,
                                              bool datagram) {
    return std::make_unique<AzbridgeStream>(loop, std::move(relay), std::move(name), datagram);
}

std::unique_ptr<Stream> make_azbridge_relay_connect(EventLoop& loop, const PipeConfig& config, const Address& a) {
    // An azbridge forward (relay-listen:...,forward=) has no partner address of its own.
    const Address* other = config.partner(a);
    bool datagram = other && azbridge_datagram(*other);
    auto name = azbridge_port_name(a, other);  // checked at startup (check_azbridge)
    return make_azbridge_connect(loop, make_relay_sender(loop, config, a), name ? *name : a.port_name, datagram);
}

Result<std::unique_ptr<Acceptor>> open_azbridge_acceptor(EventLoop& loop, const PipeConfig& config,
                                                         const Address& a, const Log& log,
                                                         Acceptor::Accepted accepted, Acceptor::Failed failed) {
    const Address& other = config.other(a);
    auto name = azbridge_port_name(a, &other);
    if (!name) return name.error();
    std::vector<Forward> forwards{{*name, &other}};
    for (const Address& f : a.forwards) forwards.push_back({f.port_name, &f});
    auto acceptor = std::make_unique<AzbridgeAcceptor>(loop, log, std::move(forwards), std::move(accepted));
    AzbridgeAcceptor* raw = acceptor.get();
    auto inner = open_relay_acceptor(
        loop, config, a, log,
        [raw](std::unique_ptr<Stream> s, const std::string& peer, const Address*) { raw->incoming(std::move(s), peer); },
        std::move(failed));
    if (!inner) return inner.error();
    acceptor->set_inner(std::move(*inner));
    return std::unique_ptr<Acceptor>(std::move(acceptor));
}

}  // namespace hyco::pipe
