umask 027; umask; umask -S; umask 022; touch nf; ls -l nf | cut -c1-10
