module tidepool/supervisor

go 1.19
