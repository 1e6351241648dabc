import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { MeService } from './me.service';

/** `GET /access/me` (docs/API.md §6.2): what access control and tenancy made of the caller. */
@Module({ controllers: [MeController], providers: [MeService] })
export class MeModule {}
