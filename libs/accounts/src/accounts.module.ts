import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@shelterlink/config';
import { AuthService } from './auth.service';
import { OrganisationEntity } from './entities/organisation.entity';
import { RegionEntity } from './entities/region.entity';
import { UserEntity } from './entities/user.entity';
import { LoginThrottleService } from './login-throttle.service';
import { OrganisationsService } from './organisations.service';
import { RefreshSessionsService } from './refresh-sessions.service';
import { RegionsService } from './regions.service';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([RegionEntity, OrganisationEntity, UserEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      // a KeyObject: given a string, jsonwebtoken first tries it as a public key on every verify (~30× slower)
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    AuthService,
    LoginThrottleService,
    RefreshSessionsService,
    RegionsService,
    OrganisationsService,
    UsersService,
  ],
  exports: [AuthService, RefreshSessionsService, RegionsService, OrganisationsService, UsersService],
})
export class AccountsModule {}
