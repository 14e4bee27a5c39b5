package SeeOther::Configtest;
# Standalone `httpd -t` runs for configuration cases (the approach of
# t/configtest.t, shared by t/configtest_harden.t and t/harden_bugs.t):
# each case is a small configuration of its own
# (ServerRoot in a temporary directory under t/logs) loading the module
# under test.
use strict;
use warnings FATAL => 'all';

use Apache::Test ();
use Apache::TestUtil qw(t_cmp);
use Cwd ();
use File::Temp ();
use FindBin;
use IPC::Open3 ();
use SeeOther::Util ();

# A new set of cases: files => {name => bytes} written into the temporary
# directory; extra => lines added after the base configuration.
sub new {
    my ($class, %opt) = @_;
    my $module = Cwd::abs_path("$FindBin::Bin/../.libs/mod_see_other.so");
    my $httpd  = Apache::Test::vars('httpd') || '/usr/sbin/apache2';
    my $apxs   = Apache::Test::vars('apxs') || '/usr/bin/apxs';
    my $libexec = do {
        my $dir = `$apxs -q LIBEXECDIR 2>/dev/null`;
        chomp $dir;
        -f "$dir/mod_mpm_prefork.so" ? $dir : '/usr/lib/apache2/modules';
    };
    my $dir = File::Temp::tempdir($opt{name} || 'cfg-XXXXXX',
                                  DIR => Apache::Test::vars('t_logs'),
                                  CLEANUP => 1);
    my $port = SeeOther::Util::free_port();
    while (my ($name, $text) = each %{ $opt{files} || {} }) {
        open my $fh, '>', "$dir/$name" or die "$dir/$name: $!";
        binmode $fh;
        print $fh $text;
        close $fh or die "$dir/$name: $!";
    }
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
        @{ $opt{extra} || [] },
    );
    return bless { dir => $dir, httpd => $httpd, base => \@base, n => 0 },
                 $class;
}

sub dir { $_[0]{dir} }

# %DIR% in $s replaced by the temporary directory.
sub dir_in {
    my ($self, $s) = @_;
    $s =~ s/%DIR%/$self->{dir}/g;
    return $s;
}

# Write a configuration; returns (file, line of its first SeeOther*).
sub write_conf {
    my ($self, @lines) = @_;
    my $file = sprintf '%s/case%02d.conf', $self->{dir}, ++$self->{n};
    open my $fh, '>', $file or die "$file: $!";
    binmode $fh;
    print $fh map { $self->dir_in($_) . "\n" } @{ $self->{base} }, @lines;
    close $fh or die "$file: $!";
    my ($bad) = grep { $lines[$_] =~ /^\s*SeeOther/ } 0 .. $#lines;
    return ($file, @{ $self->{base} } + (defined $bad ? $bad : 0) + 1);
}

# httpd -t -f FILE: (exit status, stdout and stderr).
sub configtest {
    my ($self, $file) = @_;
    local $SIG{ALRM} = sub { die "httpd -t took more than 60 s\n" };
    alarm 60;
    my $pid = IPC::Open3::open3(my $in, my $out, undef,
                                $self->{httpd}, '-t', '-f', $file);
    close $in;
    my $text = do { local $/; <$out> };
    waitpid $pid, 0;
    my $rc = $? >> 8;
    alarm 0;
    return ($rc, defined $text ? $text : '');
}

# Three tests: httpd -t fails, names the file, line and directive, and
# gives the reason ($reason a regex; %DIR% the temporary directory).
sub refused {
    my ($self, $what, $lines, $directive, $reason) = @_;
    my ($file, $line) = $self->write_conf(@$lines);
    my ($rc, $out) = $self->configtest($file);
    my $re = quotemeta $self->{dir};
    (my $reason_re = $reason) =~ s/%DIR%/$re/g;
    main::ok(t_cmp($rc != 0 && $out !~ /Syntax OK/ ? 'fails'
                                                   : "exit $rc: $out",
                   'fails', "$what: httpd -t fails"));
    main::ok(t_cmp($out,
                   qr/line \Q$line\E of \Q$file\E:\s*\Q$directive\E\b/,
                   "$what: the message names line $line and $directive"));
    main::ok(t_cmp($out, qr/$reason_re/, "$what: ... and the reason"));
}

# Two tests: httpd -t accepts the lines and reports no error.  Returns
# (output, file, line of the first SeeOther*).
sub accepted {
    my ($self, $what, $lines) = @_;
    my ($file, $line) = $self->write_conf(@$lines);
    my ($rc, $out) = $self->configtest($file);
    main::ok(t_cmp($rc == 0 && $out =~ /Syntax OK/ ? 'Syntax OK'
                                                   : "exit $rc: $out",
                   'Syntax OK', "$what: httpd -t accepts it"));
    main::ok(t_cmp($out, qr/^(?:(?!error|loop|refused).)*$/si,
                   "$what: ... and reports no error"));
    return ($out, $file, $line);
}

1;
