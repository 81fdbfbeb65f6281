#include "claw_host/dotenv.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "posix_io.hpp"

namespace claw_host {

namespace {

bool is_key_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_key_char(char c) { return is_key_start(c) || (c >= '0' && c <= '9'); }
bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

// Walks the text once; lines are counted so warnings can point at them.
class DotEnvParser {
 public:
  DotEnvParser(std::string_view text, std::string_view source, std::map<std::string, std::string, std::less<>>& values,
               std::vector<std::string>& warnings)
      : text_(text), source_(source), values_(values), warnings_(warnings) {}

  void run() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // editors on Windows add a BOM
    while (pos_ < text_.size()) parse_line();
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool at_eol() const {
    return at_end() || peek() == '\n' || (peek() == '\r' && next_is('\n')) ||
           (peek() == '\r' && pos_ + 1 == text_.size());
  }
  bool next_is(char c) const { return pos_ + 1 < text_.size() && text_[pos_ + 1] == c; }

  void skip_blanks() {
    while (!at_end() && is_blank_char(peek())) ++pos_;
  }
  // Moves past the end of the current line.
  void skip_line() {
    while (!at_end() && peek() != '\n') ++pos_;
    if (!at_end()) {
      ++pos_;
      ++line_;
    }
  }

  void warn(std::size_t line, const std::string& what) {
    warnings_.push_back(std::string(source_) + ":" + std::to_string(line) + ": " + what);
  }

  void parse_line() {
    skip_blanks();
    if (at_eol() || peek() == '#') {
      skip_line();
      return;
    }
    const std::size_t line = line_;
    if (text_.compare(pos_, 6, "export") == 0 && pos_ + 6 < text_.size() && is_blank_char(text_[pos_ + 6])) {
      pos_ += 6;
      skip_blanks();
    }
    const std::size_t key_begin = pos_;
    if (!at_end() && is_key_start(peek())) {
      while (!at_end() && is_key_char(peek())) ++pos_;
    }
    const std::string key(text_.substr(key_begin, pos_ - key_begin));
    skip_blanks();
    if (key.empty() || at_end() || peek() != '=') {
      // Nothing of the line is echoed, not even what looks like a name: a key
      // pasted on a line of its own looks just like one.
      warn(line,
           "expected NAME=value, but this line has no valid variable name followed by '='; write it as "
           "NAME=value (letters, digits and _) or start it with # to make it a comment (the line was ignored)");
      skip_line();
      return;
    }
    ++pos_;  // '='
    skip_blanks();
    std::optional<std::string> value;
    if (!at_end() && (peek() == '\'' || peek() == '"')) {
      value = parse_quoted(key, line);
    } else {
      value = parse_unquoted();
    }
    if (value) values_[key] = std::move(*value);
  }

  std::string parse_unquoted() {
    const std::size_t begin = pos_;
    std::size_t end = begin;
    while (!at_eol()) {
      // A '#' starts a comment only after whitespace, so "a#b" stays a value.
      if (peek() == '#' && pos_ > begin && is_blank_char(text_[pos_ - 1])) break;
      ++pos_;
      end = pos_;
    }
    skip_line();
    std::string value(text_.substr(begin, end - begin));
    while (!value.empty() && (is_blank_char(value.back()) || value.back() == '\r')) value.pop_back();
    return value;
  }

  std::optional<std::string> parse_quoted(const std::string& key, std::size_t line) {
    const char quote = peek();
    const std::size_t restart = pos_;
    const std::size_t restart_line = line_;
    ++pos_;
    std::string value;
    bool closed = false;
    while (!at_end()) {
      char c = peek();
      if (c == quote) {
        ++pos_;
        closed = true;
        break;
      }
      if (c == '\n') ++line_;
      if (c == '\r' && next_is('\n')) {  // a Windows line break inside the value is just a line break
        ++pos_;
        continue;
      }
      if (quote == '"' && c == '\\' && pos_ + 1 < text_.size()) {
        const char escaped = text_[pos_ + 1];
        pos_ += 2;
        switch (escaped) {
          case 'n':
            value += '\n';
            break;
          case 'r':
            value += '\r';
            break;
          case 't':
            value += '\t';
            break;
          case '"':
            value += '"';
            break;
          case '\\':
            value += '\\';
            break;
          default:  // unknown escapes stay as written, like most dotenv tools
            value += '\\';
            value += escaped;
        }
        continue;
      }
      value += c;
      ++pos_;
    }
    if (!closed) {
      // Skip only this line, so one typo does not swallow the rest of the file.
      pos_ = restart;
      line_ = restart_line;
      skip_line();
      warn(line, std::string("the value of ") + key + " opens a " + (quote == '"' ? "double" : "single") +
                     " quote that is never closed; add the closing " + quote + " (the line was ignored)");
      return std::nullopt;
    }
    skip_blanks();
    if (!at_eol() && peek() != '#') {
      warn(line_, "unexpected text after the closing quote of " + key +
                      "; remove it or put a # before a comment (the quoted value was kept)");
    }
    skip_line();
    return value;
  }

  std::string_view text_;
  std::string_view source_;
  std::map<std::string, std::string, std::less<>>& values_;
  std::vector<std::string>& warnings_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

DotEnv DotEnv::parse(std::string_view text, std::string_view source_name) {
  DotEnv env;
  env.file_ = std::filesystem::path(source_name);
  DotEnvParser(text, source_name, env.values_, env.warnings_).run();
  return env;
}

Result<DotEnv> DotEnv::load(const std::filesystem::path& file) {
  auto text = detail::read_file_if_exists(file);
  if (!text) return text.error();
  if (!*text) {
    DotEnv empty;
    empty.file_ = file;
    return empty;
  }
  DotEnv env = parse(**text, file.string());
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    // Not fatal (the file is the user's, not ours), but it usually holds keys.
    env.warnings_.push_back(file.string() + " is readable by other users (mode " + detail::mode_string(st.st_mode) +
                            "); run: chmod 600 " + file.string());
  }
  return env;
}

std::optional<std::string> DotEnv::get(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace claw_host
