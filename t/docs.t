# The documentation against the module (issue 9):
#
# 1. docs/directives.md has a section for every directive of the command
#    table (the AP_INIT_* lines of every *.c at the top of the tree), with
#    the httpd manual's fields, Context and Override as the code has them;
#    every documented directive exists (SeeOther::DocCheck).  A context the
#    flags allow but the handler refuses (%NARROWED) is proved refused.
# 2. Every fenced code block of README.md and docs/*.md marked "apache" is
#    loaded: apache2 -t with the module (and the modules examples use)
#    loaded, in a ServerRoot holding t/docs/fixtures (maps, ...).  Blocks
#    marked "apache-error" must be refused.  Blocks marked "htaccess" are
#    each put in a directory of one running server (AllowOverride
#    FileInfo) and a request there must not be answered 500.  No example is
#    left unfenced (an indented block is not tested, so it is an error).
# 3. VERSION, debian/changelog and the version the module logs agree; the package's see_other.conf loads
#    as shipped and with every commented directive line turned on.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil;
use Cwd ();
use File::Copy ();
use File::Temp ();
use IO::Socket::INET ();
use SeeOther::DocCheck qw(command_table doc_sections compare code_blocks
                          unfenced_blocks %NARROWED);
use SeeOther::Util qw(slurp);

my $top = Cwd::abs_path("$FindBin::Bin/..");
my $module = "$top/.libs/mod_see_other.so";
my $httpd = Apache::Test::vars('httpd') || '/usr/sbin/apache2';
my $libexec = '/usr/lib/apache2/modules';
my $logs = Apache::Test::vars('t_logs');
my $fixtures = "$top/t/docs/fixtures";

my @sources = map { slurp($_) } glob "$top/*.c";
my $table = command_table(@sources);
my $docs = doc_sections(slurp("$top/docs/directives.md"));
my @problems = compare($table, $docs);

my @pages = ("$top/README.md", glob("$top/docs/*.md"));
my (@server, @error, @htaccess);
for my $page (@pages) {
    (my $rel = $page) =~ s{^\Q$top\E/}{};
    for my $b (code_blocks(slurp($page))) {
        my $where = "$rel:$b->{line}";
        push @server, [$where, $b->{text}] if $b->{lang} eq 'apache';
        push @error, [$where, $b->{text}] if $b->{lang} eq 'apache-error';
        push @htaccess, [$where, $b->{text}] if $b->{lang} eq 'htaccess';
    }
}

plan tests => scalar(keys %$table) + 1 + 2 * scalar(keys %NARROWED)
    + @server + @error + @htaccess + @pages + 4;

# ---- 1. the reference and the command table
for my $name (sort keys %$table) {
    my @mine = grep { /^\Q$name\E:/ } @problems;
    ok t_cmp(join("\n", @mine), '',
             "$name: a reference section, Context '$table->{$name}{context}', "
             . "Override '$table->{$name}{override}'");
}
my @extra = grep { /documented, but not in the command table/ } @problems;
ok t_cmp(join("\n", @extra), '', 'every documented directive is in the command table');

# ---- a scratch ServerRoot with the fixtures
my $root = File::Temp::tempdir('docs-XXXXXX', DIR => $logs, CLEANUP => 1);
sub copy_fixtures {
    my ($to) = @_;
    system('cp', '-R', "$fixtures/.", $to) == 0 or die "cp fixtures to $to failed\n";
}
copy_fixtures($root);
mkdir "$root/$_" for qw(htdocs logs);
for my $txt (glob "$root/conf/*.txt") {
    (my $dbm = $txt) =~ s/\.txt$/.dbm/;
    system('httxt2dbm', '-i', $txt, '-o', $dbm) == 0 or die "httxt2dbm $txt failed\n";
}
my $port = do {
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                  LocalPort => 0) or die "no port: $@";
    $s->sockport;
};
my @modules = qw(mpm_prefork authz_core authz_host alias rewrite mime dir
                 headers remoteip setenvif env proxy proxy_http);
my $base = join '', map { "$_\n" } (
    "ServerRoot $root",
    'ServerName localhost',
    (map { "LoadModule ${_}_module $libexec/mod_$_.so" } @modules),
    "LoadModule see_other_module $module",
    "ErrorLog $root/logs/error_log",
    "PidFile $root/logs/httpd.pid",
    "DefaultRuntimeDir $root/logs",
    "DocumentRoot $root/htdocs",
    'TypesConfig /etc/mime.types',
    "Listen 127.0.0.1:$port",
    # what Debian's apache2ctl sets from /etc/apache2/envvars
    "Define APACHE_LOG_DIR $root/logs",
);

my $n = 0;
sub configtest {   # configtest TEXT: (exit status, output)
    my ($text) = @_;
    my $conf = sprintf '%s/conf-%03d.conf', $root, ++$n;
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh $base, $text;
    close $fh;
    my $out = `$httpd -t -f $conf 2>&1`;
    return ($? >> 8, $out);
}

# ---- the contexts the handlers refuse
for my $name (sort keys %NARROWED) {
    my $args = $name eq 'SeeOtherMap' ? '/narrowed conf/ids.txt' : '/a /b';
    my ($rc, $out) = configtest("$name $args\n");
    ok t_cmp($rc == 0 && $out =~ /^Syntax OK$/m ? 'loaded' : "exit $rc: $out",
             'loaded', "$name $args: loads at server level");
    ($rc, $out) = configtest("<Directory $root/htdocs>\n    $name $args\n</Directory>\n");
    ok t_cmp($rc ? "refused: $out" : "accepted: $out", qr/^refused: .*\Q$name\E/s,
             "$name: refused in <Directory>, as the reference says");
}

# ---- 2. examples
for my $ex (@server) {
    my ($where, $text) = @$ex;
    my ($rc, $out) = configtest($text);
    # (an example's own LoadModule see_other_module is skipped with a warning)
    ok t_cmp($rc == 0 && $out =~ /^Syntax OK$/m ? 'loaded' : "exit $rc: $out",
             'loaded', "$where: apache2 -t loads the example");
    print "# $_\n" for $rc ? split /\n/, $out : ();
}
for my $ex (@error) {
    my ($where, $text) = @$ex;
    my ($rc, $out) = configtest($text);
    ok t_cmp($rc ? 'refused' : "accepted: $out", 'refused',
             "$where: apache2 -t refuses the example, as the text says");
}

# .htaccess examples: one directory each under one server's DocumentRoot
if (@htaccess) {
    my $i = 0;
    for my $ex (@htaccess) {
        my $dir = sprintf '%s/htdocs/ht%02d', $root, ++$i;
        mkdir $dir or die "$dir: $!";
        copy_fixtures($dir);
        open my $fh, '>', "$dir/.htaccess" or die "$dir/.htaccess: $!";
        print $fh $ex->[1];
        close $fh;
    }
    system('chmod', '-R', 'a+rX', $root);
    my $conf = "$root/htaccess.conf";
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh $base, <<"EOF";
<Directory $root/htdocs>
    AllowOverride FileInfo
    Require all granted
</Directory>
EOF
    close $fh;
    system($httpd, '-f', $conf, '-k', 'start') == 0 or die "cannot start $httpd -f $conf\n";
    my $up;
    for (1 .. 100) {
        last if $up = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
        select undef, undef, undef, 0.1;
    }
    $i = 0;
    for my $ex (@htaccess) {
        my $url = sprintf 'http://127.0.0.1:%d/ht%02d/', $port, ++$i;
        my $code = `curl -s -o /dev/null -w '%{http_code}' --max-time 10 $url`;
        ok t_cmp($code =~ /^(?!500)\d{3}$/ ? 'loaded' : "answered $code",
                 'loaded', "$ex->[0]: the .htaccess example loads (GET $url: $code)");
    }
    system($httpd, '-f', $conf, '-k', 'stop');
    for (1 .. 100) {
        last unless -e "$root/logs/httpd.pid";
        select undef, undef, undef, 0.1;
    }
    my $log = -e "$root/logs/error_log" ? slurp("$root/logs/error_log") : '';
    print "# $_\n" for grep { /\.htaccess/ } split /\n/, $log;
}

for my $page (@pages) {
    (my $rel = $page) =~ s{^\Q$top\E/}{};
    my @lines = unfenced_blocks(slurp($page));
    ok t_cmp("@lines", '', "$rel: every code block is fenced with a language");
}

# ---- 3. the package's see_other.conf, as shipped and with its examples on
{
    my $conf = slurp("$top/debian/see_other.conf");
    my ($rc, $out) = configtest($conf);
    ok t_cmp($rc == 0 && $out =~ /^Syntax OK$/m ? 'loaded' : "exit $rc: $out",
             'loaded', 'debian/see_other.conf loads as shipped');
    (my $on = $conf) =~ s/^(\s*)#(SeeOther\w*\s)/$1$2/mg;
    my $lines = () = $on =~ /^\s*SeeOther\w*\s/mg;
    ($rc, $out) = configtest($on);
    ok t_cmp($rc == 0 && $out =~ /^Syntax OK$/m ? "loaded $lines" : "exit $rc: $out",
             'loaded 6', 'debian/see_other.conf loads with its 6 example lines on');
}

# ---- one version
my ($deb) = slurp("$top/debian/changelog") =~ /^\S+ \(([^)]+)\)/;
(my $version = slurp("$top/VERSION")) =~ s/\s+\z//;
ok t_cmp($deb, $version, "debian/changelog is at VERSION ($version)");
# the suite's server logs the module's version at start-up (LogLevel debug)
my ($logged) = slurp(SeeOther::Util::error_log()) =~ m{mod_see_other/(\S+) configured};
ok t_cmp($logged // 'not logged', $version, 'the module reports VERSION at start-up');
