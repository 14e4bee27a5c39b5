# Configuration errors: one case per kind of error.
#
# Each case is a small standalone configuration (its own ServerRoot in a
# temporary directory under t/logs) holding one bad directive, checked with
# `httpd -t -f FILE`: the exit status must be non-zero and the message must
# name the file and line, the directive and the reason.  A valid
# configuration is the positive control (exit 0, "Syntax OK").
#
# Then .htaccess files with errors (t/conf/configtest.conf.in allows
# FileInfo under /cfgtest/): requests there get 500 and the error_log names
# the file, the directive and the reason; a valid .htaccess next to them
# still works.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use Cwd ();
use File::Spec ();
use File::Temp ();
use IO::Socket::INET ();
use IPC::Open3 ();
use POSIX ();
use SeeOther::Util qw(error_log_size error_log_since);

local $Apache::TestRequest::RedirectOK = 0;

my $module = Cwd::abs_path("$FindBin::Bin/../.libs/mod_see_other.so");
my $httpd  = Apache::Test::vars('httpd') || '/usr/sbin/apache2';
my $apxs   = Apache::Test::vars('apxs') || '/usr/bin/apxs';
my $libexec = do {
    my $dir = `$apxs -q LIBEXECDIR 2>/dev/null`;
    chomp $dir;
    -f "$dir/mod_mpm_prefork.so" ? $dir : '/usr/lib/apache2/modules';
};
my $logs = Apache::Test::vars('t_logs');
my $dir  = File::Temp::tempdir('configtest-XXXXXX', DIR => $logs, CLEANUP => 1);
my $port = do {
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                  LocalPort => 0, Proto => 'tcp')
        or die "no free port: $@";
    $s->sockport;
};

# Files the cases refer to, as %DIR%/name.
my %files = (
    'ok.txt'       => "# a valid map\n\n/a /x/a\nb  http://example.org/b\n",
    'onekey.txt'   => "# comment\n\nonlykey\n",
    'threewords.txt' => "/a /x/a\n/b /x/b extra\n",
    'nonascii.txt' => "/a /caf\xC3\xA9\n",
    'badtarget.txt' => "/a http://h:x/\n",
    'note.html'    => "<p>Voir <a href=\"{{location}}\">{{location}}</a></p>\n",
    'big.html'     => '{{location}}' . ('x' x (64 * 1024 + 1 - 12)),
    'noph.html'    => "<p>See <a href=\"{location}\">there</a></p>\n",
    'latin1.html'  => "caf\xE9 {{location}}\n",
);
while (my ($name, $text) = each %files) {
    open my $fh, '>', "$dir/$name" or die "$dir/$name: $!";
    binmode $fh;
    print $fh $text;
    close $fh or die "$dir/$name: $!";
}
mkdir "$dir/adir" or die "$dir/adir: $!";
# unreadable templates: configtest runs as root, who reads any regular
# file whatever its mode, so "unreadable" is a directory, a dangling
# symlink and a FIFO (which must not stall start-up)
symlink "$dir/gone.html", "$dir/dangling.html" or die "symlink: $!";
POSIX::mkfifo("$dir/fifo.html", 0600) or die "mkfifo: $!";

my @base = (
    "ServerRoot $dir",
    'ServerName localhost',
    "LoadModule mpm_prefork_module $libexec/mod_mpm_prefork.so",
    "LoadModule authz_core_module $libexec/mod_authz_core.so",
    "LoadModule see_other_module $module",
    "ErrorLog $dir/error_log",
    "PidFile $dir/httpd.pid",
    "DefaultRuntimeDir $dir",
    "Listen 127.0.0.1:$port",
);

# [what, lines added to @base (the bad directive is the one starting with
#  "SeeOther"), directive named in the message, reason (a regex; %DIR% is
#  the temporary directory)]
my @cases = (
    ['unparseable target (bad port)',
     ['SeeOther /a http://h:x/'], 'SeeOther',
     q{cannot parse target 'http://h:x/'}],
    ['unparseable target (unclosed IP literal)',
     ['SeeOther /a http://[::1/x'], 'SeeOther',
     q{cannot parse target 'http://\[::1/x'}],
    ['unparseable SeeOtherMatch target (capture as port)',
     ['SeeOtherMatch ^/(.*)$ http://h:$1/'], 'SeeOtherMatch',
     q{cannot parse target 'http://h:\$1/'}],
    ['target with a space',
     ['SeeOther /a "/b c"'], 'SeeOther',
     q{target '/b c' is not a URI reference \(percent-encode byte 0x20\)}],
    ['target with a control character',
     ["SeeOther /a \"/b\tc\""], 'SeeOther',
     q{not a URI reference \(percent-encode byte 0x09\)}],
    ['target with a non-ASCII byte',
     ["SeeOther /a /caf\xC3\xA9"], 'SeeOther',
     q{not a URI reference \(percent-encode byte 0xC3\)}],
    ['SeeOtherMatch target with a backslash',
     ['SeeOtherMatch ^/a/(.*)$ /b/$1\\c'], 'SeeOtherMatch',
     q{not a URI reference \(percent-encode byte 0x5C\)}],
    ['$N beyond the groups',
     ['SeeOtherMatch ^/a/(.*)$ /b/$2'], 'SeeOtherMatch',
     q{names \$2, but the pattern has only 1 group}],
    ['$N with a regex without groups',
     ['SeeOtherMatch ^/a$ /b/$1'], 'SeeOtherMatch',
     q{names \$1, but the pattern has only 0 groups}],
    ['bad regex: the reason PCRE gives, and where',
     ['SeeOtherMatch ^/a/(x /b'], 'SeeOtherMatch',
     q{cannot compile regex '\^/a/\(x': missing closing parenthesis at offset 6 \('\^/a/\(x' \^ ''\)}],
    ['bad regex in the middle',
     ['SeeOtherMatch ^/(foo[a-)/x$ /b'], 'SeeOtherMatch',
     q{cannot compile regex '\^/\(foo\[a-\)/x\$': range out of order in character class at offset 9 \('\^/\(foo\[a-' \^ '\)/x\$'\)}],
    ['methods= in lower case (never matches)',
     ['SeeOther /lc /done methods=post'], 'SeeOther',
     q{methods=: 'post' would never match: method names are case-sensitive; write 'POST'}],
    ['methods= with a trailing comma',
     ['SeeOther /lc /done methods=POST,'], 'SeeOther',
     q{methods='POST,' has an empty item: write the values separated by single commas}],
    ['methods= with a doubled comma',
     ['SeeOther /lc /done methods=GET,,POST'], 'SeeOther',
     q{methods='GET,,POST' has an empty item}],
    ['accept= with a media range',
     ['SeeOther /id /doc.html accept=text/*'], 'SeeOther',
     q{accept=: 'text/\*' is a media range; name the media type the target serves \(type/subtype, no '\*'\)}],
    ['accept= list with a space',
     ['SeeOther /id /doc accept=text/html, text/turtle'], 'SeeOther',
     q{'text/turtle' follows 'accept=text/html,' after a space: a list of values takes no spaces \(write accept=text/html,text/turtle\)}],
    ['bad expr= (syntax)',
     ['SeeOther /a /b "expr=%{REQUEST_METHOD} =="'], 'SeeOther',
     q{cannot parse expr=}],
    ['bad expr= (unknown variable), NAME="value" quoting',
     ['SeeOtherMatch ^/a /b expr="%{NO_SUCH_VARIABLE_X} == 1"'], 'SeeOtherMatch',
     q{cannot parse expr=.*NO_SUCH_VARIABLE_X}],
    ['missing map file',
     ['SeeOtherMap /m %DIR%/no-such-map.txt'], 'SeeOtherMap',
     q{map file %DIR%/no-such-map.txt: No such file}],
    ['missing map file, relative to ServerRoot',
     ['SeeOtherMap /m no-such-map.txt'], 'SeeOtherMap',
     q{map file %DIR%/no-such-map.txt: No such file}],
    ['unreadable map file (a directory)',
     ['SeeOtherMap /m %DIR%/adir'], 'SeeOtherMap',
     q{map file %DIR%/adir: not a regular file}],
    ['missing DBM map file',
     ['SeeOtherMap /m dbm:%DIR%/no-such-map.db'], 'SeeOtherMap',
     q{map file %DIR%/no-such-map.db: No such file}],
    ['map line with one word',
     ['SeeOtherMap /m onekey.txt'], 'SeeOtherMap',
     q{%DIR%/onekey.txt, line 3: 'onlykey' has no target}],
    ['map line with three words',
     ['SeeOtherMap /m %DIR%/threewords.txt'], 'SeeOtherMap',
     q{%DIR%/threewords.txt, line 2: expected 'key target', found more words}],
    ['map target with a non-ASCII byte',
     ['SeeOtherMap /m nonascii.txt'], 'SeeOtherMap',
     q{%DIR%/nonascii.txt, line 1: target .* is not a URI reference}],
    ['map target that cannot be parsed',
     ['SeeOtherMap /m badtarget.txt'], 'SeeOtherMap',
     q{%DIR%/badtarget.txt, line 1: cannot parse target 'http://h:x/'}],
    ['unknown option NAME=VALUE',
     ['SeeOther /a /b colour=red'], 'SeeOther',
     q{unknown option 'colour=red'}],
    ['unknown bare option',
     ['SeeOtherMatch ^/a /b nocas'], 'SeeOtherMatch',
     q{unknown option 'nocas'}],
    ['option in the target position, one-argument form',
     ['<Location /x>', 'SeeOther colour=red', '</Location>'], 'SeeOther',
     q{needs a target before its options}],
    ['option in the target position, server level',
     ['SeeOther /a colour=red'], 'SeeOther',
     q{needs a URL-path and a target here}],
    ['option in the target position, SeeOtherMatch',
     ['SeeOtherMatch ^/a query=drop'], 'SeeOtherMatch',
     q{needs a regex and a target}],
    ['accept= on SeeOtherMap (maps are not negotiated)',
     ['SeeOtherMap /m ok.txt accept=text/html'], 'SeeOtherMap',
     q{unknown option 'accept=text/html'}],
    ['unknown option on SeeOtherMap',
     ['SeeOtherMap /m ok.txt speed=fast'], 'SeeOtherMap',
     q{unknown option 'speed=fast'}],
    ['bad query= value',
     ['SeeOther /a /b query=keep'], 'SeeOther',
     q{query= takes inherit, drop or merge, not 'keep'}],
    ['empty methods=',
     ['SeeOther /a /b methods='], 'SeeOther',
     q{methods= needs at least one method}],
    ['methods= with a name that is not a token',
     ['SeeOther /a /b methods=GET,P(ST'], 'SeeOther',
     q{'P\(ST' is not a method name}],
    ['nocase on SeeOther',
     ['SeeOther /a /b nocase'], 'SeeOther',
     q{unknown option 'nocase'}],
    ['nocase on SeeOther, one-argument form in a section',
     ['<Location /x>', 'SeeOther /b nocase', '</Location>'], 'SeeOther',
     q{unknown option 'nocase'}],
    ['nocase on SeeOtherMap',
     ['SeeOtherMap /m ok.txt nocase'], 'SeeOtherMap',
     q{unknown option 'nocase'}],
    ['one-argument form at server level',
     ['SeeOther /b'], 'SeeOther',
     q{one-argument form}],
    ['one-argument form with an option at server level',
     ['SeeOther /b methods=POST'], 'SeeOther',
     q{one-argument form}],
    ['one-argument form in a virtual host outside any section',
     ['<VirtualHost 127.0.0.1:' . $port . '>', 'SeeOther /b', '</VirtualHost>'],
     'SeeOther', q{one-argument form}],
    ['SeeOther without a target',
     ['SeeOther'], 'SeeOther', q{needs a target}],
    ['SeeOtherMatch without a target',
     ['SeeOtherMatch ^/a'], 'SeeOtherMatch', q{needs a regex and a target}],
    ['SeeOtherMap without a file',
     ['SeeOtherMap /m'], 'SeeOtherMap', q{needs a URL-prefix and a map file}],
    ['URL-path not starting with /',
     ['SeeOther a /b'], 'SeeOther',
     q{URL-path 'a' must begin with '/'}],
    ['URL-path not starting with / in a section',
     ['<Location /x>', 'SeeOther a /b', '</Location>'], 'SeeOther',
     q{URL-path 'a' must begin with '/'}],
    ['SeeOtherMap URL-prefix not starting with /',
     ['SeeOtherMap m ok.txt'], 'SeeOtherMap',
     q{URL-prefix 'm' must begin with '/'}],
    ['SeeOtherMap in <Directory>',
     ["<Directory $dir>", 'SeeOtherMap /m ok.txt', '</Directory>'],
     'SeeOtherMap', q{belongs in the server config, a virtual host or \.htaccess}],
    ['SeeOtherMap in <Location>',
     ['<Location /x>', 'SeeOtherMap /m ok.txt', '</Location>'],
     'SeeOtherMap', q{belongs in the server config, a virtual host or \.htaccess}],
    ['SeeOtherEngine with a bad flag',
     ['SeeOtherEngine maybe'], 'SeeOtherEngine', q{must be On or Off}],
    ['SeeOtherAbsolute with a bad flag',
     ['SeeOtherAbsolute 1'], 'SeeOtherAbsolute', q{must be On or Off}],
    ['SeeOtherNote with a bad value',
     ['<Location /x>', 'SeeOtherNote perhaps', '</Location>'], 'SeeOtherNote',
     q{must be On, Off or All, not 'perhaps'}],
    ['SeeOtherLegacyStatus other than 302 or 303',
     ['SeeOtherLegacyStatus 301'], 'SeeOtherLegacyStatus',
     q{must be 302 or 303, not '301'}],
    ['missing note template',
     ['SeeOtherNoteTemplate %DIR%/no-such.html'], 'SeeOtherNoteTemplate',
     q{template file %DIR%/no-such.html: No such file}],
    ['unreadable note template (a directory)',
     ['SeeOtherNoteTemplate adir'], 'SeeOtherNoteTemplate',
     q{template file %DIR%/adir: not a regular file}],
    ['unreadable note template (a dangling symlink)',
     ['<Location /x>', 'SeeOtherNoteTemplate dangling.html', '</Location>'],
     'SeeOtherNoteTemplate',
     q{template file %DIR%/dangling.html: No such file}],
    ['unreadable note template (a FIFO)',
     ['SeeOtherNoteTemplate %DIR%/fifo.html'], 'SeeOtherNoteTemplate',
     q{template file %DIR%/fifo.html: not a regular file}],
    ['note template too big',
     ['SeeOtherNoteTemplate big.html'], 'SeeOtherNoteTemplate',
     q{template file %DIR%/big.html: 65537 bytes, more than the 65536 allowed}],
    ['note template without placeholder',
     ['SeeOtherNoteTemplate noph.html'], 'SeeOtherNoteTemplate',
     q[template file %DIR%/noph.html: holds no \{\{location\}\}]],
    ['note template not UTF-8',
     ['SeeOtherNoteTemplate latin1.html'], 'SeeOtherNoteTemplate',
     q{template file %DIR%/latin1.html: not valid UTF-8 \(byte 0xE9 at offset 3\)}],
);

# A configuration using every directive and option correctly.
my @valid = (
    'SeeOther /form/submit /form/done methods=POST,PUT query=drop',
    'SeeOther /old /new/ "expr=%{REQUEST_METHOD} != \'DELETE\'"',
    'SeeOther /rel ./name=value query=merge',
    'SeeOtherMatch ^/item/([0-9]+)$ /items/$1 nocase query=inherit',
    'SeeOtherMatch ^/h/([^/]+)/ https://$1.example.org/$0 methods=GET',
    'SeeOtherMap /m ok.txt',
    'SeeOtherMap /m2 txt:%DIR%/ok.txt methods=GET',
    'SeeOtherEngine on',
    'SeeOtherAbsolute off',
    'SeeOtherNote off',
    'SeeOtherNote ALL',
    'SeeOtherNoteTemplate note.html',
    'SeeOtherLegacyStatus 302',
    '<Location /thing>',
    '    SeeOtherNoteTemplate %DIR%/note.html',
    '    SeeOtherLegacyStatus 303',
    '    SeeOther /doc/thing.html methods=GET,HEAD',
    '    SeeOtherEngine on',
    '</Location>',
    '<If "%{QUERY_STRING} =~ /x/">',
    '    SeeOther ?y',
    '</If>',
);

# .htaccess files with one bad directive each: sub-directory, directive,
# reason
my @bad_htaccess = (
    ['badopt',    'SeeOther',       q{unknown option 'colour=red'}],
    ['badre',     'SeeOtherMatch',  q{cannot compile regex}],
    ['badgroup',  'SeeOtherMatch',  q{names \$3, but the pattern has only 1 group}],
    ['badtarget', 'SeeOther',       q{not a URI reference \(percent-encode byte 0x20\)}],
    ['badengine', 'SeeOtherEngine', q{must be On or Off}],
    ['map',       'SeeOtherMap',    q{must lie in this \.htaccess's directory tree}],
    ['mapfiles',  'SeeOtherMap',    q{must lie in this \.htaccess's directory tree}],
    ['tplout',    'SeeOtherNoteTemplate',
     q{template file '\.\./\.\./complete/tpl/note\.html' must lie in this \.htaccess's directory tree}],
    ['tplbad',    'SeeOtherNoteTemplate', q[holds no \{\{location\}\}]],
);

# 3 per case, 4 for the valid config and "\$", 2 for the good .htaccess,
# 2 per bad one
plan tests => 3 * @cases + 4 + 2 + 2 * @bad_htaccess;

sub dir_in {
    my ($s) = @_;
    $s =~ s/%DIR%/$dir/g;
    return $s;
}

my $n = 0;

# Write the configuration; returns (file, line of the bad directive).
sub write_conf {
    my (@lines) = @_;
    my $file = sprintf '%s/case%02d.conf', $dir, ++$n;
    open my $fh, '>', $file or die "$file: $!";
    binmode $fh;
    print $fh map { dir_in($_) . "\n" } @base, @lines;
    close $fh or die "$file: $!";
    my ($bad) = grep { $lines[$_] =~ /^\s*SeeOther/ } 0 .. $#lines;
    return ($file, @base + (defined $bad ? $bad : 0) + 1);
}

# httpd -t -f FILE: (exit status, stdout and stderr).
sub configtest {
    my ($file) = @_;
    local $SIG{ALRM} = sub { die "httpd -t took more than 60 s\n" };
    alarm 60;
    my $pid = IPC::Open3::open3(my $in, my $out, undef,
                                $httpd, '-t', '-f', $file);
    close $in;
    my $text = do { local $/; <$out> };
    waitpid $pid, 0;
    my $rc = $? >> 8;
    alarm 0;
    return ($rc, defined $text ? $text : '');
}

for my $case (@cases) {
    my ($what, $lines, $directive, $reason) = @$case;
    my ($file, $line) = write_conf(@$lines);
    my ($rc, $out) = configtest($file);
    my $re = quotemeta($dir);
    (my $reason_re = $reason) =~ s/%DIR%/$re/g;
    ok t_cmp($rc != 0 && $out !~ /Syntax OK/ ? 'fails' : "exit $rc: $out",
             'fails', "$what: httpd -t fails");
    ok t_cmp($out, qr/line \Q$line\E of \Q$file\E:\s*\Q$directive\E\b/,
             "$what: the message names line $line and $directive");
    ok t_cmp($out, qr/$reason_re/, "$what: ... and the reason");
}

{
    my ($file) = write_conf(@valid);
    my ($rc, $out) = configtest($file);
    ok t_cmp($rc, 0, 'valid configuration: httpd -t exits 0');
    ok t_cmp($out, qr/Syntax OK/, '... and says Syntax OK');
    ok t_cmp($out, qr/^(?:(?!error).)*$/si, '... and reports no error');
}

# In a SeeOtherMatch target "\$" is a literal '$': the URI check runs on
# the text with the escape taken out (a regression test).
{
    my ($file) = write_conf('SeeOtherMatch ^/a/(.*)$ /b/\\$1/$1');
    my ($rc, $out) = configtest($file);
    ok t_cmp($rc == 0 && $out =~ /Syntax OK/ ? 'Syntax OK' : "exit $rc: $out",
             'Syntax OK', 'SeeOtherMatch target with "\\$" (a literal $) is valid');
}

# ---- .htaccess ----------------------------------------------------------

my $htdocs = Apache::Test::vars('documentroot');

my $res = GET '/cfgtest/good/old';
ok t_cmp($res->code, 303, '.htaccess: a valid rule answers 303');
ok t_cmp($res->header('Location'),
         'http://' . Apache::TestRequest::hostport() . '/cfgtest/good/new',
         '... with its Location');

for my $bad (@bad_htaccess) {
    my ($sub, $directive, $reason) = @$bad;
    my $offset = error_log_size();
    my $r = GET "/cfgtest/$sub/old";
    ok t_cmp($r->code, 500, ".htaccess with a bad $directive ($sub): 500");
    my $htaccess = "$htdocs/cfgtest/$sub/.htaccess";
    my @lines = grep { /\Q$htaccess\E/ } split /\n/, error_log_since($offset);
    ok t_cmp(join("\n", @lines) || "(no error_log line names $htaccess)",
             qr/\Q$htaccess\E: \Q$directive\E.*$reason/,
             "... the error_log names $htaccess, $directive and the reason");
}
