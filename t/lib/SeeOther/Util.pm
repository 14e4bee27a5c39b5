package SeeOther::Util;
# Small helpers the .t files share: reading files and the error_log, and
# finding where a directive stands in a generated config file.
use strict;
use warnings FATAL => 'all';

use Apache::Test ();
use Exporter 'import';
use File::Spec ();

our @EXPORT_OK = qw(slurp conf_line error_log error_log_size
                    error_log_since answer_of);

# The contents of $file from byte $from on ('' if it cannot be read).
sub slurp {
    my ($file, $from) = @_;
    open my $fh, '<', $file or return '';
    seek $fh, $from // 0, 0;
    local $/;
    my $text = <$fh>;
    return $text // '';
}

# "FILE:LINE" of the first line of $conf that matches $re: how the module
# names a rule in its logs and in the see-other-rule note.
sub conf_line {
    my ($conf, $re) = @_;
    open my $fh, '<', $conf or die "$conf: $!";
    while (<$fh>) {
        return "$conf:$." if /$re/;
    }
    die "no line matching $re in $conf\n";
}

# What a response says in one string, for tables of expected answers:
# "303 LOCATION" for a 303, else the status alone ("404"), so that a
# negative case pins the exact status it expects.
sub answer_of {
    my ($res) = @_;
    return $res->code == 303
           ? '303 ' . ($res->header('Location') // '(no Location)')
           : $res->code;
}

sub error_log {
    return File::Spec->catfile(Apache::Test::vars('t_logs'), 'error_log');
}

sub error_log_size { -s error_log() || 0 }

# What the error_log got since it was $offset bytes long.
sub error_log_since { slurp(error_log(), $_[0]) }

1;
